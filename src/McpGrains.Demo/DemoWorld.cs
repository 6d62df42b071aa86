using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpGrains.Demo;

/// <summary>
/// The demo authorization server and the MCP server it protects, in one in-memory web app on 127.0.0.1 (a port the
/// system picks): the issuer is its origin, the MCP endpoint <c>{origin}/mcp</c>. Nothing listens beyond loopback.
/// </summary>
public sealed class DemoWorld : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoWorld(WebApplication app, DemoOrigin origin, DemoTokens tokens)
    {
        _app = app;
        Origin = origin;
        Tokens = tokens;
    }

    public DemoOrigin Origin { get; }

    public DemoTokens Tokens { get; }

    /// <summary>The MCP endpoint McpGrains is configured with as server <c>demo</c>.</summary>
    public string McpUrl => Origin.Url + DemoMcpServer.McpPath;

    public static async Task<DemoWorld> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var (origin, tokens) = (new DemoOrigin(), new DemoTokens(TimeProvider.System));
        DemoMcpServer.AddServices(builder.Services);
        var app = builder.Build();
        new DemoMcpServer(tokens, origin).Map(app);
        new DemoAuthorizationServer(tokens, origin).Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        origin.Url = new Uri(address).GetLeftPart(UriPartial.Authority);
        return new DemoWorld(app, origin, tokens);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
