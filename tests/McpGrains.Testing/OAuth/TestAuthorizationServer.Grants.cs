using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

// The grants without a browser: client credentials (RFC 6749 section 4.4); as an identity provider, RFC 8693 token
// exchange of the ID tokens it issued (IssueIdToken) for identity assertion grants (ID-JAGs); as an authorization
// server trusting one (TrustedIdentityProvider), the RFC 7523 JWT bearer grant redeeming them. ID tokens and ID-JAGs are
// opaque random values here: what is checked is who they name, for which audience, resource and client.
public sealed partial class TestAuthorizationServer
{
    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
    public const string IdJagTokenType = "urn:ietf:params:oauth:token-type:id-jag";

    private readonly Dictionary<string, string> _idTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdentityAssertionGrant> _idJags = new(StringComparer.Ordinal);

    /// <summary>Token requests that carried a valid DPoP proof.</summary>
    public int DpopTokenRequestCount => Volatile.Read(ref _dpopTokenRequestCount);

    public int ClientCredentialsGrantCount => Volatile.Read(ref _clientCredentialsGrantCount);

    /// <summary>RFC 8693 token exchanges answered with an identity assertion grant (identity provider role).</summary>
    public int TokenExchangeCount => Volatile.Read(ref _tokenExchangeCount);

    /// <summary>Identity assertion grants redeemed for tokens (authorization server role).</summary>
    public int JwtBearerGrantCount => Volatile.Read(ref _jwtBearerGrantCount);

    /// <summary>An ID token for <paramref name="subject"/>, as the identity provider hands the host app at sign-in.</summary>
    public string IssueIdToken(string subject)
    {
        lock (_sync)
        {
            var token = NewSecretLocked("idt");
            _idTokens[token] = subject;
            return token;
        }
    }

    /// <summary>Redeems (once) an ID-JAG this identity provider issued; null when unknown or already used.</summary>
    internal IdentityAssertionGrant? RedeemIdJag(string assertion)
    {
        lock (_sync)
        {
            return _idJags.Remove(assertion, out var grant) ? grant : null;
        }
    }

    private IResult IssueClientCredentials(RegisteredClient client, IFormCollection form)
    {
        Interlocked.Increment(ref _clientCredentialsGrantCount);
        lock (_sync)
        {
            // The client itself is the subject: a token for McpGrains, not for a user.
            return IssueTokensLocked(Guid.NewGuid().ToString("N"), client.ClientId, client.ClientId, SplitScope(form["scope"].ToString()), NullIfEmpty(form["resource"].ToString()), issueRefreshToken: false);
        }
    }

    private IResult ExchangeIdToken(RegisteredClient client, IFormCollection form)
    {
        if (form["subject_token_type"] != IdTokenType || form["requested_token_type"] != IdJagTokenType
            || string.IsNullOrEmpty(form["audience"]) || string.IsNullOrEmpty(form["resource"]))
        {
            return TokenError("invalid_request", "subject_token_type id_token, requested_token_type id-jag, audience and resource are required.");
        }

        lock (_sync)
        {
            if (!_idTokens.TryGetValue(form["subject_token"].ToString(), out var subject))
            {
                return TokenError("invalid_grant", "Unknown ID token.");
            }

            Interlocked.Increment(ref _tokenExchangeCount);
            var assertion = NewSecretLocked("jag");
            _idJags[assertion] = new IdentityAssertionGrant(subject, form["audience"].ToString(), form["resource"].ToString(), client.ClientId);
            return Results.Json(new JsonObject
            {
                ["access_token"] = assertion,
                ["issued_token_type"] = IdJagTokenType,
                ["token_type"] = "N_A",
                ["expires_in"] = 300,
            });
        }
    }

    private IResult RedeemIdentityAssertionGrant(RegisteredClient client, IFormCollection form)
    {
        if (_options.TrustedIdentityProvider?.RedeemIdJag(form["assertion"].ToString()) is not { } grant)
        {
            return TokenError("invalid_grant", "Unknown or used identity assertion grant.");
        }

        // The grant must be addressed to this issuer, and its resource must be what the client asks for.
        var resource = NullIfEmpty(form["resource"].ToString());
        if (grant.Audience.TrimEnd('/') != Issuer || (resource is not null && resource != grant.Resource))
        {
            return TokenError("invalid_grant", "The identity assertion grant is for another audience or resource.");
        }

        Interlocked.Increment(ref _jwtBearerGrantCount);
        lock (_sync)
        {
            return IssueTokensLocked(Guid.NewGuid().ToString("N"), grant.Subject, client.ClientId, SplitScope(form["scope"].ToString()), grant.Resource, issueRefreshToken: false);
        }
    }
}

/// <summary>What an identity assertion grant (ID-JAG) says: who, for which authorization server and resource.</summary>
internal sealed record IdentityAssertionGrant(string Subject, string Audience, string Resource, string IdpClientId);
