using System.Collections.Concurrent;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;

namespace McpGrains.OAuth;

// The grants without a browser: client credentials (RFC 6749 section 4.4), the JWT bearer grant (RFC 7523 section 2.1:
// workload identity, identity assertion grants) and token exchange (RFC 8693), plus the DPoP nonces they share.
public sealed partial class TokenClient
{
    public const string ClientCredentialsGrantType = OidcConstants.GrantTypes.ClientCredentials;
    public const string JwtBearerGrantType = OidcConstants.GrantTypes.JwtBearer;
    public const string TokenExchangeGrantType = OidcConstants.GrantTypes.TokenExchange;
    public const string IdTokenType = OidcConstants.TokenTypeIdentifiers.IdentityToken;
    public const string IdJagTokenType = "urn:ietf:params:oauth:token-type:id-jag";
    public const string DpopTokenType = OidcConstants.TokenResponse.DPoPTokenType;
    public const string DpopHeader = OidcConstants.HttpHeaders.DPoP;
    public const string DpopNonceHeader = OidcConstants.HttpHeaders.DPoPNonce;
    public const string UseDpopNonce = OidcConstants.TokenErrors.UseDPoPNonce;

    /// <summary>The last DPoP nonce each token endpoint handed out (RFC 9449 section 8), shared by every request to it.</summary>
    private static readonly ConcurrentDictionary<string, string> _dpopNonces = new(StringComparer.Ordinal);

    private const int MaxRememberedNonces = 1024;

    /// <summary>A token for the client itself (no user): <c>grant_type=client_credentials</c>.</summary>
    public Task<TokenResult> ClientCredentialsAsync(TokenEndpointContext ctx, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return RequestTokenAsync(
            ctx,
            ClientCredentialsGrantType,
            () => new ClientCredentialsTokenRequest { Scope = ScopeOf(scopes), Resource = ResourceOf(ctx) },
            HttpClientTokenRequestExtensions.RequestClientCredentialsTokenAsync,
            ct);
    }

    /// <summary>A token for an assertion (a workload identity JWT, an identity assertion grant): RFC 7523 section 2.1.</summary>
    public Task<TokenResult> JwtBearerAsync(TokenEndpointContext ctx, string assertion, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(assertion);
        return RequestTokenAsync(ctx, "jwt-bearer", () => JwtBearerRequest(ctx, assertion, scopes), HttpClientTokenRequestExtensions.RequestTokenAsync, ct);
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
        var result = await RequestTokenAsync(
            idp,
            TokenExchangeGrantType,
            () => new TokenExchangeTokenRequest
            {
                SubjectToken = idToken,
                SubjectTokenType = IdTokenType,
                RequestedTokenType = IdJagTokenType,
                Audience = audience,
                Resource = resource,
                Scope = ScopeOf(scopes),
            },
            HttpClientTokenRequestExtensions.RequestTokenExchangeTokenAsync,
            ct);
        return result.IsSuccess && result.TokenType != IdJagTokenType
            ? TokenResult.Failure(TokenResult.InvalidResponse, "The identity provider did not issue an identity assertion grant (issued_token_type is not id-jag).", result.HttpStatusCode)
            : result;
    }

    /// <summary>Duende has no typed request for the JWT bearer grant: a plain token request with its parameters.</summary>
    private static TokenRequest JwtBearerRequest(TokenEndpointContext ctx, string assertion, IReadOnlyList<string>? scopes)
    {
        var request = new TokenRequest { GrantType = JwtBearerGrantType };
        request.Parameters.AddRequired(OidcConstants.TokenRequest.Assertion, assertion);
        request.Parameters.AddOptional(OidcConstants.TokenRequest.Scope, ScopeOf(scopes));
        request.Parameters.AddOptional(OidcConstants.TokenRequest.Resource, ctx.Resource);
        return request;
    }

    /// <summary>
    /// The server's nonce, bounded. Read here rather than from Duende's <c>TokenResponse.DPoPNonce</c>, which it sets
    /// only on 200 and 400 answers (a 401 use_dpop_nonce would lose it).
    /// </summary>
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
