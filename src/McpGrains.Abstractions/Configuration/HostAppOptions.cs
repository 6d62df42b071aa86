namespace McpGrains.Configuration;

/// <summary><c>McpGrains:HostApps:&lt;name&gt;</c>: one tenant.</summary>
public sealed class HostAppOptions
{
    public static readonly TimeSpan DefaultVerificationTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The bearer key the host app presents. A secret: never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>What people see on the sign-in confirmation page for this host app (default: its name).</summary>
    public string? DisplayName { get; set; }

    /// <summary>How a sign-in is bound to the person it was started for: one of <see cref="SignInBindingModes"/>.</summary>
    public string Binding { get; set; } = SignInBindingModes.Browser;

    /// <summary>
    /// The connected page (after a sign-in) links to the user's connections page: a fresh single-use link, as
    /// <c>POST /api/v1/users/{userId}/portal-links</c> mints. Off by default: the host app decides whether its users
    /// manage their connections at McpGrains.
    /// </summary>
    public bool ConnectionsPage { get; set; }

    /// <summary>The OpenID Connect provider of binding mode <see cref="SignInBindingModes.Oidc"/>.</summary>
    public HostAppOidcOptions Oidc { get; set; } = new();

    /// <summary>
    /// Binding mode <see cref="SignInBindingModes.HostVerification"/>: where the callback sends the browser, with the
    /// flow id in <c>mcpgrains_flow</c>, for the host app to confirm the flow for the user signed in there.
    /// </summary>
    public string? VerificationUrl { get; set; }

    /// <summary>How long tokens wait for the host app's confirmation before they are discarded and revoked.</summary>
    public TimeSpan VerificationTimeout { get; set; } = DefaultVerificationTimeout;

    /// <summary>
    /// The organization's identity provider, for servers with <c>OAuth:GrantType</c> <c>identity_assertion</c>
    /// (enterprise-managed authorization): where this host app's users' ID tokens are exchanged for identity assertion
    /// grants. Null when the host app does not use enterprise-managed authorization.
    /// </summary>
    public IdentityProviderOptions? IdentityProvider { get; set; }

    public override string ToString() => $"HostAppOptions {{ ApiKey = ***, DisplayName = {DisplayName}, Binding = {Binding}, Oidc = {Oidc}, VerificationUrl = {VerificationUrl}, ConnectionsPage = {ConnectionsPage}, IdentityProvider = {IdentityProvider} }}";
}
