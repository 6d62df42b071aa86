using System.Collections.Concurrent;

namespace McpGrains.OAuth;

// The grants without a browser: client credentials (RFC 6749 section 4.4), the JWT bearer grant (RFC 7523 section 2.1:
// workload identity, identity assertion grants) and token exchange (RFC 8693), plus the DPoP nonces they share.
public sealed partial class TokenClient
{
    public const string ClientCredentialsGrantType = "client_credentials";
    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
    public const string IdJagTokenType = "urn:ietf:params:oauth:token-type:id-jag";
    public const string DpopTokenType = "DPoP";
    public const string DpopHeader = "DPoP";
    public const string DpopNonceHeader = "DPoP-Nonce";
    public const string UseDpopNonce = "use_dpop_nonce";

    /// <summary>The last DPoP nonce each token endpoint handed out (RFC 9449 section 8), shared by every request to it.</summary>
    private static readonly ConcurrentDictionary<string, string> _dpopNonces = new(StringComparer.Ordinal);

    private const int MaxRememberedNonces = 1024;

    /// <summary>A token for the client itself (no user): <c>grant_type=client_credentials</c>.</summary>
    public Task<TokenResult> ClientCredentialsAsync(TokenEndpointContext ctx, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", ClientCredentialsGrantType) };
        AddScopeAndResource(form, ctx, scopes);
        return RequestTokenAsync(ctx, ClientCredentialsGrantType, form, ct);
    }

    /// <summary>A token for an assertion (a workload identity JWT, an identity assertion grant): RFC 7523 section 2.1.</summary>
    public Task<TokenResult> JwtBearerAsync(TokenEndpointContext ctx, string assertion, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(assertion);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", JwtBearerGrantType), new("assertion", assertion) };
        AddScopeAndResource(form, ctx, scopes);
        return RequestTokenAsync(ctx, "jwt-bearer", form, ct);
    }

    /// <summary>
    /// RFC 8693 at the organization's identity provider: the user's ID token for an identity assertion grant (ID-JAG)
    /// addressed to <paramref name="audience"/> (the MCP server's authorization server) for <paramref name="resource"/>.
    /// The assertion comes back as <see cref="TokenResult.AccessToken"/>.
    /// </summary>
    public async Task<TokenResult> ExchangeIdentityAssertionAsync(TokenEndpointContext idp, string idToken, string audience, string resource, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentException.ThrowIfNullOrEmpty(idToken);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", TokenExchangeGrantType),
            new("requested_token_type", IdJagTokenType),
            new("audience", audience),
            new("resource", resource),
            new("subject_token", idToken),
            new("subject_token_type", IdTokenType),
        };
        if (scopes is { Count: > 0 })
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        var result = await RequestTokenAsync(idp, TokenExchangeGrantType, form, ct);
        return result.IsSuccess && result.TokenType != IdJagTokenType
            ? TokenResult.Failure(TokenResult.InvalidResponse, "The identity provider did not issue an identity assertion grant (issued_token_type is not id-jag).", result.HttpStatusCode)
            : result;
    }

    private static void AddScopeAndResource(List<KeyValuePair<string, string>> form, TokenEndpointContext ctx, IReadOnlyList<string>? scopes)
    {
        if (scopes is { Count: > 0 })
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        if (ctx.Resource is not null)
        {
            form.Add(new("resource", ctx.Resource));
        }
    }

    private static string? ReadDpopNonce(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues(DpopNonceHeader, out var values))
        {
            return null;
        }

        var nonce = values.FirstOrDefault();
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 1024)
        {
            return null;
        }

        if (_dpopNonces.Count >= MaxRememberedNonces)
        {
            _dpopNonces.Clear();
        }

        return nonce;
    }
}
