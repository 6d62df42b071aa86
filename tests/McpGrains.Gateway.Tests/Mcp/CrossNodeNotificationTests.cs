using System.Security.Cryptography;
using McpGrains.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// An upstream notification crosses nodes: the session grain lives on a silo of a 2-silo cluster, the downstream MCP
/// session is held by a front end that is a separate Orleans client node, and tools/list_changed raised upstream
/// reaches that session through the grain's observer.
/// </summary>
public sealed class CrossNodeNotificationTests : IAsyncLifetime
{
    private const string ServerId = "eventful";
    private const string HostKey = "cross-node-key-0123456789abcdef";
    private EventfulMcpServer _upstream = null!;
    private TestCluster _cluster = null!;
    private WebApplication _frontEnd = null!;
    private Uri _frontEndUri = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EventfulMcpServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = McpEndpointFixture.PublicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            ["McpGrains:HostApps:cross:ApiKey"] = HostKey,
            [$"McpGrains:Servers:{ServerId}:Url"] = _upstream.McpUri.ToString(),
        };

        var builder = new TestClusterBuilder(2);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<CrossNodeSiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        // The front end: the real gateway on Kestrel, reaching the grains only through the cluster client.
        var web = WebApplication.CreateSlimBuilder();
        web.Configuration.AddInMemoryCollection(settings);
        web.WebHost.UseUrls("http://127.0.0.1:0");
        web.Services.AddSingleton<IClusterClient>(_cluster.Client);
        web.Services.AddSingleton<IGrainFactory>(_cluster.Client);
        web.Services.AddMcpGrainsGateway();
        _frontEnd = web.Build();
        _frontEnd.UseMcpGrainsGateway();
        _frontEnd.MapMcpGrainsGateway();
        await _frontEnd.StartAsync();
        _frontEndUri = new Uri(_frontEnd.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task ListChanged_RaisedUpstream_ReachesADownstreamSessionOnAnotherNode()
    {
        var user = McpEndpointFixture.NewUser();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_frontEndUri, "/mcp/" + ServerId),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + HostKey, ["X-User-Id"] = user },
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        await client.ListToolsAsync();
        await using var changed = new NotificationProbe(client, NotificationMethods.ToolListChangedNotification);

        await client.CallToolAsync("announce");
        await changed.WaitAsync();

        // The grain lives on a silo; the session is held by the front end, a client node that hosts no grains.
        var key = new McpSessionKey("cross", user, ServerId);
        var host = await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(_cluster.Client.GetGrain<IMcpSessionGrain>(key.Format()));
        Assert.NotNull(host);
        Assert.Contains(_cluster.Silos, silo => silo.SiloAddress == host);
    }

    public async Task DisposeAsync()
    {
        await _frontEnd.StopAsync();
        await _frontEnd.DisposeAsync();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
