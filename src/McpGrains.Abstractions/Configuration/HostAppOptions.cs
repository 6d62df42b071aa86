namespace McpGrains.Configuration;

/// <summary><c>McpGrains:HostApps:&lt;name&gt;</c>: one tenant.</summary>
public sealed class HostAppOptions
{
    /// <summary>The bearer key the host app presents. A secret: never logged.</summary>
    public string? ApiKey { get; set; }

    public override string ToString() => "HostAppOptions { ApiKey = *** }";
}
