using System.Globalization;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Three running hosts for the address rules: <see cref="Development"/> (loopback allowed, no private network),
/// <see cref="Internal"/> (loopback allowed; <c>10.0.0.0/8</c> listed in <c>AllowedPrivateNetworks</c>; servers on
/// private and link-local addresses, some with <c>AllowPrivateNetwork</c>) and <see cref="NoLoopback"/> (the
/// development switch off, as in production).
/// </summary>
public sealed class InternalUpstreamHosts : IAsyncLifetime
{
    public RunningHost Development { get; private set; } = null!;

    public RunningHost Internal { get; private set; } = null!;

    public RunningHost NoLoopback { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Development = RunningHost.Start();
        Internal = RunningHost.Start(settings =>
        {
            settings["McpGrains:Security:AllowedPrivateNetworks:0"] = "10.0.0.0/8";
            settings["McpGrains:Security:AllowedPrivateNetworks:1"] = "fd00:1234::/32";
            settings["McpGrains:Servers:listed:Url"] = "https://10.0.0.1:9/mcp";
            settings["McpGrains:Servers:unlisted:Url"] = "https://192.168.0.10:9/mcp";
            settings["McpGrains:Servers:flagged:Url"] = "https://192.168.0.11:9/mcp";
            settings["McpGrains:Servers:flagged:AllowPrivateNetwork"] = "true";
            settings["McpGrains:Servers:flagged-metadata:Url"] = "https://169.254.169.254/mcp";
            settings["McpGrains:Servers:flagged-metadata:AllowPrivateNetwork"] = "true";
        });
        NoLoopback = RunningHost.Start(settings =>
        {
            settings["McpGrains:Security:AllowInsecureLoopback"] = "false";
            settings["McpGrains:PublicBaseUrl"] = "https://mcpgrains.example.com";
        });
        return Task.CompletedTask;
    }

    public static string Port(RunningHost host) => host.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        await Development.DisposeAsync();
        await Internal.DisposeAsync();
        await NoLoopback.DisposeAsync();
    }
}
