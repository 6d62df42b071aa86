using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using McpGrains.Cluster.Tests.Harness;
using McpGrains.Testing;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>
/// Any front end serves any request of any downstream MCP session (issue 12): the MCP TypeScript SDK's client sends
/// each request to the next of two front ends, over two silos on PostgreSQL, as a balancer without stickiness would.
/// </summary>
public sealed class StatelessFrontEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TypeScriptClient_AlternatingFrontEnds_GetsEverything_AndSurvivesTheStreamsFrontEndDying()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        await cluster.StartAsync();
        var clock = Stopwatch.StartNew();
        var user = "ts-" + Guid.NewGuid().ToString("N")[..10];
        await using var client = await NodeMcpClient.StartAsync(ClusterHarness.ServerId, [cluster.FrontEndUri(1), cluster.FrontEndUri(2)], ClusterHarness.HostKey, user);

        // initialize on one front end, notifications/initialized (and the GET stream) on another.
        var sessionId = (await client.NextAsync("connected")).GetProperty("sessionId").GetString()!;
        var initialize = Http(client, "initialize").Single();
        var initialized = Http(client, "notifications/initialized").Single();
        Assert.NotEqual(initialize.FrontEnd, initialized.FrontEnd);
        Assert.Equal(200, initialize.Status);
        Assert.Equal(202, initialized.Status);

        await client.SendAsync("list");
        Assert.Contains("authorize_" + ClusterHarness.ServerId, Names(await client.NextAsync("tools")));

        // Signing in (REST and the browser, through the front ends) announces the tools on the session's GET stream.
        await cluster.ConnectAsync(user, authorizeVia: 1, callbackVia: 2);
        await client.NextAsync("notification");
        await client.SendAsync("list");
        Assert.Contains("echo", Names(await client.NextAsync("tools")));

        string[] expected = [.. Enumerable.Range(0, 10).Select(i => $"call-{i}")];
        await client.SendAsync("calls 10 1");
        var sequential = Texts(await client.NextAsync("calls"));
        await client.SendAsync("calls 10 10");
        var concurrent = Texts(await client.NextAsync("calls"));
        Assert.Equal(expected, sequential);
        Assert.Equal(expected, concurrent);
        var calls = Http(client, "tools/call");
        Assert.Equal(20, calls.Count);
        Assert.Equal([1, 2], calls.Select(c => c.FrontEnd).Distinct().Order());
        Assert.All(calls, call => Assert.Equal(200, call.Status));
        output.WriteLine($"session with 20 calls over both front ends after {clock.Elapsed.TotalSeconds:F1} s");

        // The front end holding the GET stream dies.
        var stream = Http(client, null, "GET").Last(get => get.Status == 200).FrontEnd;
        var survivor = 3 - stream;
        await cluster.FrontEnd(stream).KillAsync();
        output.WriteLine($"frontend{stream} (GET stream) killed at {clock.Elapsed.TotalSeconds:F1} s");

        // The next requests succeed on the other front end, without a new initialize.
        await client.SendAsync("calls 3 1");
        var afterKill = Texts(await client.NextAsync("calls"));
        Assert.Equal(["call-0", "call-1", "call-2"], afterKill);
        Assert.Single(Http(client, "initialize"));

        // A notification raised while the stream is down (signing in again) reaches the resumed stream.
        using (var disconnect = await cluster.SendAsync(HttpMethod.Delete, survivor, $"/api/v1/users/{user}/connections/{ClusterHarness.ServerId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        }

        // The sign-in link names the public URL; the balancer sends the browser to the survivor.
        var signInLink = await cluster.BeginAuthorizationAsync(user, survivor);
        using (var browser = TestBrowser.ForGateway(cluster.PublicBaseUrl, cluster.FrontEndUri(survivor)))
        using (var callback = await browser.CompleteSignInAsync(signInLink, cluster.CallbackPrefix, user))
        {
            Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        }

        await client.NextAsync("notification");
        var resumed = Http(client, null, "GET").Where(get => get.FrontEnd == survivor && get.LastEventId is not null).ToList();
        Assert.True(resumed.Count > 0, "the GET stream was not resumed with Last-Event-ID on the surviving front end");
        output.WriteLine($"stream resumed on frontend{survivor} with Last-Event-ID; notification delivered at {clock.Elapsed.TotalSeconds:F1} s");

        // DELETE ends the session everywhere.
        await client.SendAsync("close");
        await client.NextAsync("closed");
        Assert.Contains(Http(client, null, "DELETE"), delete => delete.Status == 200);
        using var http = cluster.Client(survivor);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/mcp/{ClusterHarness.ServerId}")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", MediaTypeHeaderValue.Parse("application/json")),
        };
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("X-User-Id", user);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var after = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        output.WriteLine(string.Join("\n", cluster.Events));
    }

    private static List<HttpEvent> Http(NodeMcpClient client, string? rpc, string? method = null) =>
        [.. client.Events
            .Where(e => e.GetProperty("event").GetString() == "http")
            .Select(e => new HttpEvent(
                e.GetProperty("method").GetString()!,
                e.TryGetProperty("rpc", out var r) ? r.GetString() : null,
                e.GetProperty("frontEnd").GetInt32(),
                e.GetProperty("status").GetInt32(),
                e.TryGetProperty("lastEventId", out var id) ? id.GetString() : null))
            .Where(e => (rpc is null || e.Rpc == rpc) && (method is null || e.Method == method))];

    private static string[] Names(JsonElement tools) => [.. tools.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)];

    private static string[] Texts(JsonElement calls) => [.. calls.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!)];

    private sealed record HttpEvent(string Method, string? Rpc, int FrontEnd, int Status, string? LastEventId);
}
