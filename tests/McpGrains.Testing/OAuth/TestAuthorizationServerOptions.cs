namespace McpGrains.Testing;

/// <summary>Behaviour switches of <see cref="TestAuthorizationServer"/>.</summary>
public sealed class TestAuthorizationServerOptions
{
    /// <summary>Path part of the issuer: "" or e.g. "/tenant1". The issuer is base address + path, no trailing slash.</summary>
    public string IssuerPath { get; set; } = "";

    /// <summary>Serve <c>POST {issuer}/register</c> (RFC 7591) and advertise <c>registration_endpoint</c>.</summary>
    public bool SupportsDynamicRegistration { get; set; } = true;

    /// <summary>token_endpoint_auth_methods_supported; registration refuses any other method.</summary>
    public IReadOnlyList<string> RegisterAuthMethods { get; set; } = ["client_secret_basic", "client_secret_post", "none"];

    /// <summary>Advertise RFC 9207 support and add <c>iss</c> to every authorization response.</summary>
    public bool AdvertiseIssParameter { get; set; } = true;

    /// <summary>code_challenge_methods_supported. Empty: the field is omitted and PKCE is neither required nor checked.</summary>
    public IReadOnlyList<string> CodeChallengeMethods { get; set; } = ["S256"];

    /// <summary>scopes_supported. Requested scopes outside this list get <c>invalid_scope</c> (unless the list is empty).</summary>
    public IReadOnlyList<string> ScopesSupported { get; set; } = ["mcp:read", "mcp:write", "offline_access"];

    /// <summary>Issue refresh tokens on the authorization-code grant.</summary>
    public bool IssueRefreshTokens { get; set; } = true;

    /// <summary>Issue refresh tokens only when <c>offline_access</c> was granted (some providers behave so).</summary>
    public bool RefreshTokensRequireOfflineAccess { get; set; }

    /// <summary>
    /// Each refresh returns a new refresh token and invalidates the old one; reuse of a rotated one revokes the family.
    /// When false the refresh response carries no refresh_token and the original one stays valid.
    /// </summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>
    /// Refuse grants a client did not register: the refresh_token grant (and so the issuing of refresh tokens)
    /// only for clients whose grant_types include refresh_token.
    /// </summary>
    public bool EnforceRegisteredGrantTypes { get; set; } = true;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Leave <c>expires_in</c> out of token responses (RFC 6749 makes it optional): the client cannot know when the
    /// token lapses. The token still expires here after <see cref="AccessTokenLifetime"/>.
    /// </summary>
    public bool OmitExpiresIn { get; set; }

    /// <summary>Send <c>expires_in</c> as a JSON string ("3600"), as some providers do.</summary>
    public bool ExpiresInAsString { get; set; }

    /// <summary>Serve <c>POST {issuer}/revoke</c> (RFC 7009) and advertise <c>revocation_endpoint</c>.</summary>
    public bool RevocationEndpoint { get; set; } = true;

    /// <summary>Which well-known metadata URLs answer; the others return 404.</summary>
    public AuthorizationServerMetadataEndpoints MetadataEndpoints { get; set; } = AuthorizationServerMetadataEndpoints.All;

    /// <summary>When set, the metadata documents claim this issuer instead of the real one (issuer-mismatch tests).</summary>
    public string? AdvertisedIssuerOverride { get; set; }

    public IReadOnlyList<PreRegisteredClient> PreRegisteredClients { get; set; } = [];

    /// <summary>Clock for code and token expiry; pass a FakeTimeProvider to move time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Delegating mode (third-party authorization flow): /authorize sends the browser to this server's /authorize,
    /// exchanges the code it gets back at <c>{issuer}/upstream-callback</c>, then issues its own code to the client.
    /// </summary>
    public TestAuthorizationServer? DelegateTo { get; set; }

    /// <summary>
    /// Act as an OpenID Connect provider too: discovery with <c>jwks_uri</c>, and an RS256-signed id_token for codes
    /// granted with the <c>openid</c> scope (add <c>openid</c> and <c>email</c> to <see cref="ScopesSupported"/>).
    /// </summary>
    public bool OpenIdProvider { get; set; }

    /// <summary>E-mail addresses for the id_token by user (the <see cref="TestAuthorizationServer.UserHeader"/> value); others get user@example.com.</summary>
    public IReadOnlyDictionary<string, string> Emails { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The id_token's <c>email_verified</c>.</summary>
    public bool EmailVerified { get; set; } = true;

    /// <summary>
    /// DPoP (RFC 9449): advertise these proof algorithms (<c>dpop_signing_alg_values_supported</c>); a token request with
    /// a valid proof gets a token bound to the proof's key (<c>token_type</c> DPoP), which
    /// <see cref="ProtectedMcpServer"/> accepts only with a proof of that key. Null: no DPoP.
    /// </summary>
    public IReadOnlyList<string>? DpopSigningAlgValues { get; set; }

    /// <summary>
    /// Enterprise-managed authorization: the identity provider whose identity assertion grants (ID-JAGs, issued by its
    /// RFC 8693 token exchange) this server redeems with the RFC 7523 JWT bearer grant.
    /// </summary>
    public TestAuthorizationServer? TrustedIdentityProvider { get; set; }
}
