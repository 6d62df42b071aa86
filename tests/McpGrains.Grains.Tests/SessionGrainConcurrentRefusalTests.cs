using System.Text.Json.Nodes;
using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>
/// One session's calls in flight together on the shared upstream connection, meeting different refusals: each call
/// acts on the answer it got itself (and the token it sent), never on another call's 401 or 403 challenge.
/// </summary>
public sealed class SessionGrainConcurrentRefusalTests : IClassFixture<SessionClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SessionClusterFixture _fixture;

    public SessionGrainConcurrentRefusalTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    private static UpstreamRequest Respond(string group, int status) =>
        new("tools/call", new JsonObject { ["name"] = "respond", ["arguments"] = new JsonObject { ["group"] = group, ["status"] = status } }.ToJsonString());

    private static UpstreamRequest Echo(string message) =>
        new("tools/call", new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = message } }.ToJsonString());

    [Fact]
    public async Task CallsMeetingA5xxA401AndA403Together_EachTakeTheirOwnPath_WithOneRefresh()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        Assert.Equal(UpstreamOutcome.Success, (await _fixture.Session(key).SendAsync(Echo("open the connection"))).Outcome);
        var held = _fixture.ProtectedServer.HeldAnswers;
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;
        var reuse = _fixture.AuthorizationServer.RefreshTokenReuseCount;
        var group = "mixed-" + key.UserId;

        // Three calls on one connection with one token, all held upstream until each is answered in turn.
        var failing = _fixture.Session(key).SendAsync(Respond(group, 500));
        var rejected = _fixture.Session(key).SendAsync(Respond(group, 401));
        var refused = _fixture.Session(key).SendAsync(Respond(group, 403));
        await held.WaitForHeldAsync(group, 3).WaitAsync(Patience);

        held.Release(group, 401);
        var rejectedResult = await rejected.WaitAsync(Patience);
        held.Release(group, 403);
        var refusedResult = await refused.WaitAsync(Patience);
        held.Release(group, 500);
        var failingResult = await failing.WaitAsync(Patience);

        // 401: refreshed once and retried with the new token.
        Assert.True(rejectedResult.Outcome == UpstreamOutcome.Success, $"{rejectedResult.Outcome}: {rejectedResult.Error?.Message}");
        Assert.Equal("401 passed", (string?)JsonNode.Parse(rejectedResult.ResultJson!)!["content"]![0]!["text"]);

        // 403 insufficient_scope: a step-up sign-in, with the scope its own challenge named.
        Assert.Equal(UpstreamOutcome.AuthorizationRequired, refusedResult.Outcome);
        Assert.Equal(SessionErrorCodes.InsufficientScope, refusedResult.Error?.Code);
        Assert.Contains("mcp:write", refusedResult.Error!.Message, StringComparison.Ordinal);

        // 5xx: the server failed; neither a sign-in nor a refresh, whatever the other calls met meanwhile.
        Assert.Equal(UpstreamOutcome.Unavailable, failingResult.Outcome);
        Assert.Contains("HTTP 500", failingResult.Error!.Message, StringComparison.Ordinal);

        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.Equal(reuse, _fixture.AuthorizationServer.RefreshTokenReuseCount);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }
}
