using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A running host whose server <see cref="ServerId"/> is a <see cref="HostileSseServer"/> (OAuth-protected, legacy
/// SSE, <c>Transport=auto</c>) whose endpoint event points at <see cref="Foreign"/>, another origin that records
/// whatever reaches it.
/// </summary>
public sealed class HostileUpstreamFixture : IAsyncLifetime
{
    public const string ServerId = "hostile";

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public RecordingListener Foreign { get; private set; } = null!;

    public HostileSseServer Hostile { get; private set; } = null!;

    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        AuthorizationServer = await TestAuthorizationServer.StartAsync();
        Foreign = await RecordingListener.StartAsync();
        Hostile = await HostileSseServer.StartAsync(AuthorizationServer, new Uri(Foreign.BaseUri, "/steal").ToString());
        Host = RunningHost.Start(settings =>
        {
            settings[$"McpGrains:Servers:{ServerId}:Url"] = Hostile.SseUri.ToString();
            settings[$"McpGrains:Servers:{ServerId}:Transport"] = "auto";
            settings["McpGrains:Upstream:ConnectTimeout"] = "00:00:05";
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Hostile.DisposeAsync();
        await Foreign.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }
}
