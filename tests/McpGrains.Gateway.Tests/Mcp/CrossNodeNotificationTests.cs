using McpGrains.Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orleans.Runtime;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// An upstream notification crosses nodes: the session grain lives on a silo of a 2-silo cluster, the downstream MCP
/// session is held by a front end that is a separate Orleans client node, and tools/list_changed raised upstream
/// reaches that session through the grain's observer.
/// </summary>
public sealed class CrossNodeNotificationTests : IAsyncLifetime
{
    private const string ServerId = "eventful";
    private EventfulMcpServer _upstream = null!;
    private CrossNodeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EventfulMcpServer.StartAsync();
        _gateway = await CrossNodeGateway.StartAsync(ServerId, _upstream.McpUri);
    }

    [Fact]
    public async Task ListChanged_RaisedUpstream_ReachesADownstreamSessionOnAnotherNode()
    {
        var user = McpEndpointFixture.NewUser();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_gateway.FrontEnds[0], "/mcp/" + ServerId),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + CrossNodeGateway.HostKey, ["X-User-Id"] = user },
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        await client.ListToolsAsync();
        await using var changed = new NotificationProbe(client, NotificationMethods.ToolListChangedNotification);

        await client.CallToolAsync("announce");
        await changed.WaitAsync();

        // The grain lives on a silo; the session is held by the front end, a client node that hosts no grains.
        var cluster = _gateway.Cluster;
        var key = new McpSessionKey(CrossNodeGateway.HostApp, user, ServerId);
        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(cluster.Client.GetGrain<IMcpSessionGrain>(key.Format()));
        Assert.NotNull(host);
        Assert.Contains(cluster.Silos, silo => silo.SiloAddress == host);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
