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

    public override string ToString() => $"HostAppOptions {{ ApiKey = ***, DisplayName = {DisplayName}, Binding = {Binding} }}";
}
