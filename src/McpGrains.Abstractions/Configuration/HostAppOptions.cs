namespace McpGrains.Configuration;

/// <summary><c>McpGrains:HostApps:&lt;name&gt;</c>: one tenant.</summary>
public sealed class HostAppOptions
{
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

    public override string ToString() => $"HostAppOptions {{ ApiKey = ***, DisplayName = {DisplayName}, Binding = {Binding}, ConnectionsPage = {ConnectionsPage} }}";
}
