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

    public IReadOnlyList<string> ScopeList => Scopes.Normalize();

    public override string ToString() => $"UpstreamOAuthOptions {{ ClientId = {ClientId}, Issuer = {Issuer}, HasSecret = {ClientSecret is not null}, Scopes = {Scopes} }}";
}
