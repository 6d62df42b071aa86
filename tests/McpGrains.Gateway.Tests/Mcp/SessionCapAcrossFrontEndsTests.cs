using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// Downstream sessions are the cluster's, not a front end's (any front end serves any of them), so their caps count
/// them across the cluster: sessions a user opened on one front end count on the other, and a session ended on either
/// frees its place on both. Per-node counts would let a user behind a round-robin balancer open the cap on every node.
/// The open sessions metric is that count.
/// </summary>
public sealed class SessionCapAcrossFrontEndsTests : IAsyncLifetime
{
    /// <summary>A server id no other test uses: the metric is read in-process, where other tests' clusters record too.</summary>
    private const string ServerId = "capped";
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
        using var openSessions = new OpenSessionsMetric();
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
        Assert.Equal(3, openSessions.Sum);
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

    /// <summary>The sum of what the cluster recorded on <c>mcpgrains.downstream.sessions</c> for this test's server.</summary>
    private sealed class OpenSessionsMetric : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _sum;

        public OpenSessionsMetric()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == Telemetry.McpGrainsMetrics.DownstreamSessions)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == Telemetry.McpGrainsTelemetry.ServerTag && Equals(tag.Value, ServerId))
                    {
                        Interlocked.Add(ref _sum, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Sum => Interlocked.Read(ref _sum);

        public void Dispose() => _listener.Dispose();
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
