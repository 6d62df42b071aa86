using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// Downstream sessions are the cluster's, not a front end's (any front end serves any of them), so their caps count
/// them across the cluster: sessions a user opened on one front end count on the other, and a session ended on either
/// frees its place on both. Per-node counts would let a user behind a round-robin balancer open the cap on every node.
/// </summary>
public sealed class SessionCapAcrossFrontEndsTests : IAsyncLifetime
{
    private const string ServerId = "eventful";
    private readonly List<HttpClient> _clients = [];
    private EventfulMcpServer _upstream = null!;
    private CrossNodeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EventfulMcpServer.StartAsync();
        _gateway = await CrossNodeGateway.StartAsync(ServerId, _upstream.McpUri, frontEnds: 2, new Dictionary<string, string?> { ["McpGrains:Limits:MaxDownstreamSessionsPerUser"] = "2" });
        foreach (var frontEnd in _gateway.FrontEnds)
        {
            var client = new HttpClient { BaseAddress = frontEnd };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CrossNodeGateway.HostKey);
            _clients.Add(client);
        }
    }

    [Fact]
    public async Task PerUserCap_CountsTheSessionsOfEveryFrontEnd_AndAnEndOnEitherFreesAPlace()
    {
        var (first, second) = (_clients[0], _clients[1]);
        var user = McpEndpointFixture.NewUser();
        var onFirst = await OpenAsync(first, user);
        await OpenAsync(second, user);

        using var refused = await first.SendAsync(Initialize(user));
        using var otherUser = await first.SendAsync(Initialize(McpEndpointFixture.NewUser()));
        using var ended = await second.SendAsync(Delete(user, onFirst));
        using var reopened = await first.SendAsync(Initialize(user));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("session_limit_reached", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static async Task<string> OpenAsync(HttpClient client, string user)
    {
        using var response = await client.SendAsync(Initialize(user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"initialize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Assert.Single(response.Headers.GetValues("Mcp-Session-Id"));
    }

    private static HttpRequestMessage Initialize(string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/" + ServerId)
        {
            Content = JsonContent.Create(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "initialize",
                @params = new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "raw", version = "1" } },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("X-User-Id", user);
        return request;
    }

    private static HttpRequestMessage Delete(string user, string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/mcp/" + ServerId);
        request.Headers.Add("X-User-Id", user);
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return request;
    }
}
