namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Servers:&lt;id&gt;:OAuth</c>: optional pre-registration and per-server switches.</summary>
public sealed class UpstreamOAuthOptions
{
    /// <summary>A pre-registered client id; when set, dynamic registration is not used.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Pins the authorization server: its issuer identifier, exactly as its metadata states it. A server that names
    /// another issuer gets <c>issuer_changed</c>, and nothing (client id, secret, codes) is sent to that issuer. Without
    /// it, a server with <see cref="ClientId"/> configured is pinned to the first issuer seen.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Scopes to request: one string separated by spaces or commas, or a list; when empty, the server's challenge or
    /// metadata decides.
    /// </summary>
    public ConfiguredScopes Scopes { get; set; } = [];

    /// <summary>Send the RFC 8707 <c>resource</c> parameter (some providers, such as Microsoft Entra, reject it).</summary>
    public bool SendResource { get; set; } = true;

    /// <summary>Pins the authorization endpoint instead of the discovered one (providers with broken metadata).</summary>
    public string? AuthorizationEndpoint { get; set; }

    /// <summary>Pins the token endpoint instead of the discovered one.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Pins the revocation endpoint instead of the discovered one.</summary>
    public string? RevocationEndpoint { get; set; }

    /// <summary>How tokens are obtained: one of <see cref="UpstreamGrantTypes"/> (default <c>authorization_code</c>).</summary>
    public string GrantType { get; set; } = UpstreamGrantTypes.AuthorizationCode;

    /// <summary>DPoP-bound tokens (RFC 9449): one of <see cref="DpopModes"/> (default <c>auto</c>).</summary>
    public string Dpop { get; set; } = DpopModes.Auto;

    /// <summary>
    /// Pins the token endpoint client authentication of the configured client: <c>client_secret_basic</c>,
    /// <c>client_secret_post</c>, <c>private_key_jwt</c> or <c>none</c>. Default: <c>private_key_jwt</c> when a private
    /// key is configured, else chosen from the server's metadata.
    /// </summary>
    public string? TokenEndpointAuthMethod { get; set; }

    /// <summary>The PEM private key for <c>private_key_jwt</c>. A secret: never logged.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A file holding the PEM private key for <c>private_key_jwt</c> (read at each token request).</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The JWS algorithm of the <c>private_key_jwt</c> assertion: ES256 (default), ES384, ES512, RS256, PS256...</summary>
    public string? SigningAlgorithm { get; set; }

    /// <summary>The workload identity JWT for <c>jwt_bearer</c>. A secret: never logged.</summary>
    public string? Assertion { get; set; }

    /// <summary>
    /// A file holding the workload identity JWT for <c>jwt_bearer</c>, read at each token request (a projected service
    /// account token that the platform rotates).
    /// </summary>
    public string? AssertionFile { get; set; }

    /// <summary>
    /// <c>identity_assertion</c> only: when the user's identity assertion is missing or refused, offer the browser sign-in
    /// (authorization code) instead of failing.
    /// </summary>
    public bool BrowserFallback { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Normalize();

    public override string ToString() =>
        $"UpstreamOAuthOptions {{ ClientId = {ClientId}, Issuer = {Issuer}, HasSecret = {ClientSecret is not null}, Scopes = {Scopes}, GrantType = {GrantType}, Dpop = {Dpop}, "
        + $"HasPrivateKey = {PrivateKey is not null || PrivateKeyFile is not null}, HasAssertion = {Assertion is not null || AssertionFile is not null} }}";
}
