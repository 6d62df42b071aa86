using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// The session cluster plus a stateful protected MCP server reached through a proxy that a test can turn into a black
/// hole (it accepts and reads, and never answers), with short bounds on opening and closing an upstream connection.
/// </summary>
public sealed class UnansweredUpstreamClusterFixture : SessionClusterFixture
{
    public const string BlackHoleServerId = "black-hole";

    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public ProtectedMcpServer StatefulServer { get; private set; } = null!;

    public ToggleableTcpProxy BlackHoleProxy { get; private set; } = null!;

    protected override async Task AddServersAsync(Dictionary<string, string?> settings)
    {
        StatefulServer = await ProtectedMcpServer.StartAsync(AuthorizationServer, new ProtectedMcpServerOptions { Stateful = true });
        BlackHoleProxy = ToggleableTcpProxy.Start(StatefulServer.McpUri);
        var url = BlackHoleProxy.Rewrite(StatefulServer.McpUri);

        // The server is known by its address behind the proxy: that is the resource its tokens are for.
        StatefulServer.Options.AdvertisedResourceOverride = url.ToString();
        settings["McpGrains:Servers:" + BlackHoleServerId + ":Url"] = url.ToString();
        settings["McpGrains:Servers:" + BlackHoleServerId + ":Transport"] = "streamable-http";
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["McpGrains:Upstream:CloseTimeout"] = CloseTimeout.ToString();
        settings["McpGrains:Upstream:ConnectTimeout"] = ConnectTimeout.ToString();
    }

    protected override async ValueTask DisposeServersAsync()
    {
        await BlackHoleProxy.DisposeAsync();
        await StatefulServer.DisposeAsync();
    }
}
