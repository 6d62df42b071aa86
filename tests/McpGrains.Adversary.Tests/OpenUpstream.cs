using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A class fixture: an MCP server without authorization on loopback, for tests whose host needs an upstream server
/// (<see cref="ServerId"/>) that answers at once.
/// </summary>
public sealed class OpenUpstream : IAsyncLifetime
{
    public const string ServerId = "open";

    public ProtectedMcpServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ProtectedMcpServer.StartUnprotectedAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A running host with this server configured as <see cref="ServerId"/>, plus <paramref name="configure"/>'s settings.</summary>
    public RunningHost StartHost(Action<Dictionary<string, string?>>? configure = null) => RunningHost.Start(settings =>
    {
        settings[$"McpGrains:Servers:{ServerId}:Url"] = Server.McpUri.ToString();
        configure?.Invoke(settings);
    });
}
