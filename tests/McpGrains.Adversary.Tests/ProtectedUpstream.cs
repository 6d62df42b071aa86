using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A class fixture: the project's OAuth authorization server and an MCP server protected by it, for tests whose host
/// needs an upstream that asks users to authorize (<see cref="ServerId"/>).
/// </summary>
public sealed class ProtectedUpstream : IAsyncLifetime
{
    public const string ServerId = "protected";

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        AuthorizationServer = await TestAuthorizationServer.StartAsync();
        Server = await ProtectedMcpServer.StartAsync(AuthorizationServer);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }

    /// <summary>A running host with this server configured as <see cref="ServerId"/>, plus <paramref name="configure"/>'s settings.</summary>
    public RunningHost StartHost(Action<Dictionary<string, string?>>? configure = null) => RunningHost.Start(settings =>
    {
        settings[$"McpGrains:Servers:{ServerId}:Url"] = Server.McpUri.ToString();
        configure?.Invoke(settings);
    });
}
