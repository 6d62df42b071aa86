using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

/// <summary>
/// Token endpoint calls (authorization code, refresh, RFC 7009 revocation) as plain form posts, so that
/// <c>resource</c>, client authentication and lenient <c>expires_in</c> parsing are under our control. HTTP, OAuth and
/// network errors become <see cref="TokenResult"/> failures; only caller cancellation throws.
/// </summary>
public sealed partial class TokenClient
{
    private readonly HttpClient _httpClient;
    private readonly OAuthHttpOptions _options;
    private readonly ILogger<TokenClient> _logger;
    private readonly TimeProvider _time;

    public TokenClient(HttpClient httpClient, IOptions<OAuthHttpOptions> options, ILogger<TokenClient> logger, TimeProvider time)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
        _time = time;
    }

    public Task<TokenResult> ExchangeCodeAsync(TokenEndpointContext ctx, string code, string codeVerifier, string redirectUri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
            new("code_verifier", codeVerifier),
        };
        if (ctx.Resource is not null)
        {
            form.Add(new("resource", ctx.Resource));
        }

        return RequestTokenAsync(ctx, "authorization_code", form, ct);
    }

    /// <param name="scopes">Optional narrower scope (RFC 6749 section 6); omitted when null or empty.</param>
    public Task<TokenResult> RefreshAsync(TokenEndpointContext ctx, string refreshToken, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        };
        if (scopes is { Count: > 0 })
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        if (ctx.Resource is not null)
        {
            form.Add(new("resource", ctx.Resource));
        }

        return RequestTokenAsync(ctx, "refresh_token", form, ct);
    }

    /// <summary>RFC 7009 revocation, best effort: true on 2xx, false on any HTTP or network failure.</summary>
    public async Task<bool> RevokeAsync(TokenEndpointContext ctx, string revocationEndpoint, string token, string tokenTypeHint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var endpointForLog = SafeUrl.Format(revocationEndpoint);
        if (!Uri.TryCreate(revocationEndpoint, UriKind.Absolute, out var endpoint))
        {
            LogRevocationFailed(_logger, endpointForLog, "not an absolute URL");
            return false;
        }

        var form = new List<KeyValuePair<string, string>> { new("token", token) };
        if (!string.IsNullOrEmpty(tokenTypeHint))
        {
            form.Add(new("token_type_hint", tokenTypeHint));
        }

        using var activity = McpGrainsTelemetry.StartOAuth("revocation");
        try
        {
            using var request = CreateRequest(endpoint, ctx, form);
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogRevocationFailed(_logger, endpointForLog, $"HTTP {(int)response.StatusCode}");
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogRevocationFailed(_logger, endpointForLog, "timed out");
            return false;
        }
        catch (HttpRequestException ex)
        {
            LogRevocationFailed(_logger, endpointForLog, ex.Message);
            return false;
        }
    }

    private async Task<TokenResult> RequestTokenAsync(TokenEndpointContext ctx, string grantType, List<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var endpointForLog = SafeUrl.Format(ctx.TokenEndpoint);
        using var activity = McpGrainsTelemetry.StartOAuth("token", grantType);
        var result = await SendTokenRequestAsync(ctx, form, grantType == TokenExchangeGrantType, ct);
        if (result.IsSuccess)
        {
            LogTokenRequestSucceeded(_logger, grantType, endpointForLog, result.RefreshToken is not null);
        }
        else
        {
            LogTokenRequestFailed(_logger, grantType, endpointForLog, result.Error, result.HttpStatusCode);
        }

        return result;
    }

    private async Task<TokenResult> SendTokenRequestAsync(TokenEndpointContext ctx, List<KeyValuePair<string, string>> form, bool tokenExchange, CancellationToken ct)
    {
        if (!Uri.TryCreate(ctx.TokenEndpoint, UriKind.Absolute, out var endpoint))
        {
            return TokenResult.Failure(TokenResult.InvalidResponse, "The token endpoint is not an absolute URL.", null);
        }

        try
        {
            var nonce = ctx.Dpop is null ? null : _dpopNonces.GetValueOrDefault(endpoint.GetLeftPart(UriPartial.Path));
            for (var attempt = 0; ; attempt++)
            {
                using var request = CreateRequest(endpoint, ctx, [.. form]);
                if (ctx.Dpop is not null)
                {
                    request.Headers.Add(DpopHeader, ctx.Dpop.CreateProof("POST", endpoint, accessToken: null, nonce, _time.GetUtcNow()));
                }

                using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var status = (int)response.StatusCode;
                byte[] body;
                try
                {
                    body = await BoundedContent.ReadAsync(response.Content, _options.MaxResponseBytes, ct);
                }
                catch (InvalidDataException ex)
                {
                    return TokenResult.Failure(TokenResult.InvalidResponse, ex.Message, status);
                }

                var result = ParseTokenResponse(body, status, response.IsSuccessStatusCode, ctx.Dpop is not null, tokenExchange);
                if (ctx.Dpop is not null && ReadDpopNonce(response) is { } fresh)
                {
                    // RFC 9449 section 8: the server's nonce goes into the next proof; a use_dpop_nonce refusal is retried once.
                    _dpopNonces[endpoint.GetLeftPart(UriPartial.Path)] = fresh;
                    if (result.Error == UseDpopNonce && attempt == 0)
                    {
                        nonce = fresh;
                        continue;
                    }
                }

                return result;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TokenResult.Failure(TokenResult.NetworkError, "The token endpoint did not answer in time.", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return TokenResult.Failure(TokenResult.NetworkError, $"The token endpoint could not be reached: {ex.Message}", null);
        }
    }

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

    private HttpRequestMessage CreateRequest(Uri endpoint, TokenEndpointContext ctx, List<KeyValuePair<string, string>> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Accept.ParseAdd("application/json");
        switch (ctx.AuthMethod)
        {
            case TokenEndpointAuthMethods.ClientSecretBasic when ctx.ClientSecret is not null:
                // RFC 6749 section 2.3.1: form-encode id and secret before base64.
                var credentials = Uri.EscapeDataString(ctx.ClientId) + ":" + Uri.EscapeDataString(ctx.ClientSecret);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case TokenEndpointAuthMethods.ClientSecretPost when ctx.ClientSecret is not null:
                form.Add(new("client_id", ctx.ClientId));
                form.Add(new("client_secret", ctx.ClientSecret));
                break;
            case TokenEndpointAuthMethods.PrivateKeyJwt when ctx.PrivateKeyPem is not null:
                // RFC 7523 section 2.2: the audience is the issuer identifier (the token endpoint when unknown).
                form.Add(new("client_id", ctx.ClientId));
                form.Add(new("client_assertion_type", ClientAssertion.AssertionType));
                form.Add(new("client_assertion", ClientAssertion.Create(ctx.ClientId, ctx.Issuer ?? ctx.TokenEndpoint, ctx.PrivateKeyPem, ctx.SigningAlgorithm, _time.GetUtcNow())));
                break;
            case TokenEndpointAuthMethods.ClientSecretBasic or TokenEndpointAuthMethods.ClientSecretPost or TokenEndpointAuthMethods.None:
                // A public client, or a secret-based method without a secret: identify by client_id only.
                form.Add(new("client_id", ctx.ClientId));
                break;
            default:
                request.Dispose();
                throw new ArgumentException($"Unsupported token endpoint auth method '{ctx.AuthMethod}'.", nameof(ctx));
        }

        request.Content = new FormUrlEncodedContent(form);
        return request;
    }
}
