using System.Text.Json;

namespace McpGrains.OAuth;

// What a token endpoint answers, read from the bytes as received. Not Duende's TokenResponse: its accessors read
// leniently (a number or an object as its JSON text, expires_in 0 when absent or past int), and MCP takes only Bearer
// (or DPoP) tokens, with provider error text bounded and sanitized.
public sealed partial class TokenClient
{
    /// <summary>Interprets a token endpoint response body (RFC 6749 sections 5.1 and 5.2).</summary>
    public static TokenResult ParseTokenResponse(byte[] body, int httpStatusCode, bool isSuccessStatus) =>
        ParseTokenResponse(body, httpStatusCode, isSuccessStatus, dpopRequested: false);

    /// <param name="dpopRequested">The request carried a DPoP proof: a <c>DPoP</c> token type is expected (RFC 9449 section 5).</param>
    /// <param name="tokenExchange">An RFC 8693 answer: <c>token_type</c> may be <c>N_A</c>; <c>issued_token_type</c> is the type.</param>
    public static TokenResult ParseTokenResponse(byte[] body, int httpStatusCode, bool isSuccessStatus, bool dpopRequested, bool tokenExchange = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonDocument document;
        try
        {
            document = JsonObjectReader.ParseObject(body, "token response");
        }
        catch (FormatException ex)
        {
            return TokenResult.Failure(TokenResult.InvalidResponse, ex.Message, httpStatusCode);
        }

        using (document)
        {
            var root = document.RootElement;
            try
            {
                // Some servers (GitHub) answer 200 with an error body.
                if (JsonObjectReader.GetString(root, "error") is { Length: > 0 } error)
                {
                    // Provider text: a bounded code and a sanitized description, never the raw strings.
                    return TokenResult.Failure(OAuthErrorText.Code(error), OAuthErrorText.Description(JsonObjectReader.GetString(root, "error_description")), httpStatusCode);
                }

                if (!isSuccessStatus)
                {
                    return TokenResult.Failure(TokenResult.InvalidResponse, $"The token endpoint answered {httpStatusCode} without an OAuth error.", httpStatusCode);
                }

                var accessToken = JsonObjectReader.GetString(root, "access_token");
                if (string.IsNullOrEmpty(accessToken))
                {
                    return TokenResult.Failure(TokenResult.InvalidResponse, "The token response has no access_token.", httpStatusCode);
                }

                var tokenType = JsonObjectReader.GetString(root, "token_type");
                if (tokenExchange)
                {
                    return new TokenResult
                    {
                        IsSuccess = true,
                        AccessToken = accessToken,
                        TokenType = JsonObjectReader.GetString(root, "issued_token_type") ?? tokenType,
                        HttpStatusCode = httpStatusCode,
                    };
                }

                var dpopBound = dpopRequested && string.Equals(tokenType, DpopTokenType, StringComparison.OrdinalIgnoreCase);
                if (tokenType is not null && !dpopBound && !string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
                {
                    return TokenResult.Failure(TokenResult.InvalidResponse, $"Unsupported token_type '{OAuthErrorText.TryCode(tokenType) ?? "(not a token type)"}'; expected Bearer{(dpopRequested ? " or DPoP" : "")}.", httpStatusCode);
                }

                var expiresIn = JsonObjectReader.GetFlexibleInt64(root, "expires_in");
                return new TokenResult
                {
                    IsSuccess = true,
                    AccessToken = accessToken,
                    RefreshToken = JsonObjectReader.GetString(root, "refresh_token") is { Length: > 0 } refresh ? refresh : null,
                    ExpiresIn = expiresIn is long seconds and >= 0 and <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null,
                    Scope = JsonObjectReader.GetString(root, "scope"),
                    TokenType = dpopBound ? DpopTokenType : "Bearer",
                    HttpStatusCode = httpStatusCode,
                };
            }
            catch (FormatException ex)
            {
                return TokenResult.Failure(TokenResult.InvalidResponse, ex.Message, httpStatusCode);
            }
        }
    }
}
