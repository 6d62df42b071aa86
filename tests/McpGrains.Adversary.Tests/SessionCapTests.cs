using System.Net;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Downstream MCP sessions are capped per host app and per user on each node: an initialize over a cap is refused with
/// 429 problem+json, and nobody's open sessions are closed to make room (a global cap would let one host app evict
/// another's).
/// </summary>
public sealed class SessionCapTests(OpenUpstream upstream) : IClassFixture<OpenUpstream>
{
    private const string SessionLimitCode = "session_limit_reached";
    [Fact]
    public async Task PerUser_OverTheCap_InitializeIsRefused_OthersServed_AndAClosedSessionFreesItsPlace()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:MaxDownstreamSessionsPerUser"] = "2");
        using var client = host.Client();

        var first = await OpenAsync(client, "alice");
        var second = await OpenAsync(client, "alice");
        using var refused = await client.SendAsync(McpWire.Initialize("open", "alice"));
        using var bob = await client.SendAsync(McpWire.Initialize("open", "bob"));

        var problem = await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, SessionLimitCode);
        Assert.Contains("MaxDownstreamSessionsPerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        await AssertServedAsync(client, "alice", first);
        await AssertServedAsync(client, "alice", second);

        using var closed = await client.SendAsync(McpWire.Delete("open", "alice", first));
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        await OpenAsync(client, "alice");
    }

    [Fact]
    public async Task PerHostApp_OverTheCap_InitializeIsRefused_TheOtherHostAppsSessionsUntouched()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:MaxDownstreamSessionsPerHostApp"] = "2");
        using var hostA = host.Client();
        using var hostB = host.Client(RunningHost.HostBKey);

        var bSession = await OpenAsync(hostB, "bob");
        var aFirst = await OpenAsync(hostA, "a1");
        var aSecond = await OpenAsync(hostA, "a2");
        using var refused = await hostA.SendAsync(McpWire.Initialize("open", "a3"));
        var bSecond = await OpenAsync(hostB, "bea");

        var problem = await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, SessionLimitCode);
        Assert.Contains("MaxDownstreamSessionsPerHostApp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertServedAsync(hostB, "bob", bSession);
        await AssertServedAsync(hostB, "bea", bSecond);
        await AssertServedAsync(hostA, "a1", aFirst);
        await AssertServedAsync(hostA, "a2", aSecond);
    }

    private static async Task<string> OpenAsync(HttpClient client, string userId)
    {
        using var response = await client.SendAsync(McpWire.Initialize("open", userId));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"initialize for {userId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Assert.Single(response.Headers.GetValues(McpWire.SessionHeader));
    }

    /// <summary>The session still answers a request (it was not closed to make room).</summary>
    private static async Task AssertServedAsync(HttpClient client, string userId, string sessionId)
    {
        using var response = await client.SendAsync(McpWire.Post("open", userId, """{"jsonrpc":"2.0","id":2,"method":"ping"}""", sessionId));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"ping on {userId}'s session answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
