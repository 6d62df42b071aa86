using System.Text.Json.Nodes;
using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>The grain's live upstream MCP connection against the project's protected and open MCP servers.</summary>
public sealed class SessionGrainUpstreamTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainUpstreamTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    private static UpstreamRequest Echo(string message) =>
        new("tools/call", new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = message } }.ToJsonString());

    [Fact]
    public async Task Connected_ListsToolsAndCallsEcho()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);

        var tools = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/list", null));
        var echo = await _fixture.Session(key).SendAsync(Echo("hello"));

        Assert.True(tools.Outcome == UpstreamOutcome.Success, tools.Error?.Message);
        Assert.Contains(JsonNode.Parse(tools.ResultJson!)!["tools"]!.AsArray(), t => (string?)t!["name"] == "echo");
        Assert.True(echo.Outcome == UpstreamOutcome.Success, echo.Error?.Message);
        Assert.Equal("hello", (string?)JsonNode.Parse(echo.ResultJson!)!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Calls_GoAsRawJson_DressedForTheUpstreamAsTheSdkWouldDressThem()
    {
        // On the open server: the protected one's calls of other tests in the class would race for its last call.
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.OpenServerId);

        var plain = await _fixture.Session(key).SendAsync(Echo("raw"));
        var plainId = _fixture.OpenServer.LastEchoRequestId;
        var dressed = await _fixture.Session(key).SendAsync(new UpstreamRequest(
            "tools/call",
            """{"name":"echo","arguments":{"message":"dressed"},"_meta":{"x-trace":{"keep":[1,2]},"io.modelcontextprotocol/clientCapabilities":{"bogus":{}},"io.modelcontextprotocol/protocolVersion":"1999-01-01"}}"""));
        var meta = JsonNode.Parse(_fixture.OpenServer.LastEchoMeta!)!.AsObject();

        Assert.True(plain.Outcome == UpstreamOutcome.Success, plain.Error?.Message);
        Assert.Equal("raw", (string?)JsonNode.Parse(plain.ResultJson!)!["content"]![0]!["text"]);
        Assert.StartsWith("g", plainId, StringComparison.Ordinal);
        Assert.True(dressed.Outcome == UpstreamOutcome.Success, dressed.Error?.Message);
        Assert.Equal("dressed", (string?)JsonNode.Parse(dressed.ResultJson!)!["content"]![0]!["text"]);
        Assert.Equal("""{"keep":[1,2]}""", meta["x-trace"]!.ToJsonString());
        Assert.NotEqual("1999-01-01", (string?)meta["io.modelcontextprotocol/protocolVersion"]);
        var capabilities = meta["io.modelcontextprotocol/clientCapabilities"]!.AsObject();
        Assert.False(capabilities.ContainsKey("bogus"));
        Assert.True(capabilities.ContainsKey("elicitation"));
    }

    [Fact]
    public async Task InvalidParams_AreRefusedBeforeAnythingIsSent()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.OpenServerId);

        var result = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/call", """{"name":"echo","""));

        Assert.Equal(UpstreamOutcome.RpcError, result.Outcome);
        Assert.Equal(-32602, result.RpcError!.Code);
    }

    [Fact]
    public async Task OpenServer_NeedsNoToken()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.OpenServerId);

        var echo = await _fixture.Session(key).SendAsync(Echo("open"));

        Assert.True(echo.Outcome == UpstreamOutcome.Success, echo.Error?.Message);
    }

    [Fact]
    public async Task NotConnected_AnswersAuthorizationRequiredWithOneReusableLink()
    {
        var key = SessionClusterFixture.NewKey();

        var first = await _fixture.Session(key).SendAsync(Echo("x"));
        var second = await _fixture.Session(key).SendAsync(Echo("x"));

        Assert.Equal(UpstreamOutcome.AuthorizationRequired, first.Outcome);
        Assert.NotNull(first.Authorization);
        Assert.Equal(first.Authorization!.AuthorizationUrl, second.Authorization!.AuthorizationUrl);
        Assert.Equal(first.Authorization.ElicitationId, second.Authorization.ElicitationId);

        // Completing the link connects the session; the call then succeeds.
        var callback = await _fixture.SignInAsync(first.Authorization.AuthorizationUrl);
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("x"))).Outcome);
    }

    [Fact]
    public async Task RevokedAccessToken_IsHealedByOneRefresh()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("before"))).Outcome);
        var token = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken!;
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;

        Assert.True(_fixture.AuthorizationServer.RevokeAccessToken(token));
        var after = await _fixture.Session(key).SendAsync(Echo("after"));

        Assert.True(after.Outcome == UpstreamOutcome.Success, after.Error?.Message);
        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    private static UpstreamRequest Gather(string group, int count) =>
        new("tools/call", new JsonObject { ["name"] = "gather", ["arguments"] = new JsonObject { ["group"] = group, ["count"] = count } }.ToJsonString());

    private static string? TextOf(UpstreamResult result) =>
        result.ResultJson is null ? result.Error?.Message : (string?)JsonNode.Parse(result.ResultJson)!["content"]![0]!["text"];

    [Fact]
    public async Task OneUsersConcurrentCalls_AreInFlightUpstreamTogether()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        const int calls = 8;

        // The tool answers only when all eight are in flight at once: calls queued one behind another would each be
        // left alone until the tool's timeout.
        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => _fixture.Session(key).SendAsync(Gather("together-" + key.UserId, calls))));

        Assert.All(results, result => Assert.Equal($"{calls} together", TextOf(result)));
    }

    [Fact]
    public async Task ConcurrentCallsMeetingARevokedToken_RefreshItOnce()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("open the connection"))).Outcome);
        var token = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken!;
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;
        Assert.True(_fixture.AuthorizationServer.RevokeAccessToken(token));
        const int calls = 16;

        // All sixteen go out on the live connection with the revoked token and draw a 401 each; one refresh serves all.
        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => _fixture.Session(key).SendAsync(Gather("revoked-" + key.UserId, calls))));

        Assert.All(results, result => Assert.Equal($"{calls} together", TextOf(result)));
        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Fact]
    public async Task ConcurrentCallsWithAnExpiredToken_RefreshItOnce()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("open the connection"))).Outcome);
        var before = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken!;
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;
        _fixture.Clock.Advance(TimeSpan.FromHours(2));
        const int calls = 16;

        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => _fixture.Session(key).SendAsync(Gather("expired-" + key.UserId, calls))));

        Assert.All(results, result => Assert.Equal($"{calls} together", TextOf(result)));
        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.NotEqual(before, (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task CallsRefusedForLackOfScope_ShareOneStepUpLink_ThenSucceedAfterSignIn()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.ScopedServerId);
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("mcp:read is enough"))).Outcome);
        const int calls = 6;

        // gather needs mcp:write: every call is refused (403 insufficient_scope), and all get the same step-up link
        // rather than each starting (and superseding) a sign-in of its own.
        var refused = await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => _fixture.Session(key).SendAsync(Gather("scoped-" + key.UserId, 1))));

        Assert.All(refused, result =>
        {
            Assert.Equal(UpstreamOutcome.AuthorizationRequired, result.Outcome);
            Assert.Equal(SessionErrorCodes.InsufficientScope, result.Error?.Code);
        });
        var link = Assert.Single(refused.Select(r => r.Authorization!.AuthorizationUrl).Distinct());
        var authorizationUrl = await _fixture.ContinueAsync(link);
        var scope = System.Web.HttpUtility.ParseQueryString(authorizationUrl.Query)["scope"]!.Split(' ');
        Assert.Contains("mcp:read", scope);
        Assert.Contains("mcp:write", scope);

        var callback = await _fixture.Browser.FollowToAsync(authorizationUrl.ToString(), _fixture.RedirectUri);
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);
        Assert.Equal("1 together", TextOf(await _fixture.Session(key).SendAsync(Gather("scoped-after-" + key.UserId, 1))));
    }

    [Fact]
    public async Task DisconnectWhileCallsAreInFlight_EndsThemAndLeavesNoTokens()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("open the connection"))).Outcome);
        var group = "disconnect-" + key.UserId;

        // Two calls wait upstream for a third that never comes; the disconnect runs meanwhile and closes the connection.
        var inFlight = Enumerable.Range(0, 2).Select(_ => _fixture.Session(key).SendAsync(Gather(group, 3))).ToArray();
        await _fixture.ProtectedServer.WaitForGatheredAsync(group, 2).WaitAsync(TimeSpan.FromSeconds(30));
        await _fixture.Session(key).DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var results = await Task.WhenAll(inFlight);

        // Ended with a clear error, not retried into a new sign-in.
        Assert.All(results, result =>
        {
            Assert.Equal(UpstreamOutcome.Unavailable, result.Outcome);
            Assert.Contains("disconnected", result.Error!.Message, StringComparison.Ordinal);
        });
        Assert.Equal(ConnectionStatus.NotConnected, (await _fixture.Session(key).GetConnectionAsync()).Status);
        Assert.Null((await _fixture.Session(key).GetAccessTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task UpstreamRpcError_IsRelayed()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);

        var result = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/call", """{"name":"no-such-tool","arguments":{}}"""));

        Assert.True(result.Outcome is UpstreamOutcome.RpcError or UpstreamOutcome.Success, result.Error?.Message);
        if (result.Outcome == UpstreamOutcome.Success)
        {
            Assert.True((bool?)JsonNode.Parse(result.ResultJson!)!["isError"]);
        }
    }

    [Fact]
    public async Task UpstreamDownThenBack_FailsClearlyWithBoundedAttemptsThenRecovers()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.FlakyServerId);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("up"))).Outcome);

        _fixture.FlakyProxy.TakeDown();
        var failures = new List<UpstreamResult>();
        for (var i = 0; i < 20; i++)
        {
            failures.Add(await _fixture.Session(key).SendAsync(Echo("down")));
            _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // 20 calls over 20 (fake) seconds while down: backoff (1, 2, 4, 8 s) and then the open circuit space the attempts.
        Assert.All(failures, f => Assert.Equal(UpstreamOutcome.Unavailable, f.Outcome));
        Assert.All(failures, f => Assert.Equal(SessionErrorCodes.UpstreamUnavailable, f.Error!.Code));
        Assert.Contains(failures, f => f.Error!.Message.Contains("retrying in", StringComparison.Ordinal));
        var attempts = _fixture.FlakyProxy.ConnectionsWhileDown;
        Assert.InRange(attempts, 1, 10);

        _fixture.FlakyProxy.BringUp();
        _fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var recovered = await _fixture.Session(key).SendAsync(Echo("back"));

        Assert.True(recovered.Outcome == UpstreamOutcome.Success, recovered.Error?.Message);
    }
}
