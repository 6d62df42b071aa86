using System.Text.Json.Nodes;
using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>
/// Access tokens that live shorter than the refresh skew (one minute by default) are used for most of their
/// lifetime, not refreshed on every call; rotating refresh tokens are never presented twice.
/// </summary>
public sealed class SessionGrainTokenLifetimeTests : IClassFixture<TokenLifetimeClusterFixture>
{
    private readonly TokenLifetimeClusterFixture _fixture;

    public SessionGrainTokenLifetimeTests(TokenLifetimeClusterFixture fixture)
    {
        _fixture = fixture;
    }

    public static TheoryData<int> Lifetimes => new(TokenLifetimeClusterFixture.LifetimeSeconds);

    private static UpstreamRequest Echo(string message) =>
        new("tools/call", new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = message } }.ToJsonString());

    private static void AssertSucceeded(UpstreamResult result) =>
        Assert.True(result.Outcome == UpstreamOutcome.Success, $"{result.Outcome}: {result.Error?.Message}");

    [Theory]
    [MemberData(nameof(Lifetimes))]
    public async Task TwentyConcurrentCallsAfterExpiry_MakeExactlyOneRefresh(int lifetimeSeconds)
    {
        var serverId = TokenLifetimeClusterFixture.ServerId(lifetimeSeconds);
        var authorizationServer = _fixture.AuthorizationServerOf(serverId);
        var key = SessionClusterFixture.NewKey(serverId);
        await _fixture.ConnectAsync(key);
        AssertSucceeded(await _fixture.Session(key).SendAsync(Echo("open the connection")));
        var refreshes = authorizationServer.RefreshRequestCount;
        var reuse = authorizationServer.RefreshTokenReuseCount;

        _fixture.Clock.Advance(TimeSpan.FromSeconds(lifetimeSeconds));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _fixture.Session(key).SendAsync(Echo("after expiry " + i))));
        var next = await _fixture.Session(key).SendAsync(Echo("with the new token"));

        Assert.All(results, AssertSucceeded);
        AssertSucceeded(next);
        Assert.Equal(refreshes + 1, authorizationServer.RefreshRequestCount);
        Assert.Equal(reuse, authorizationServer.RefreshTokenReuseCount);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Theory]
    [MemberData(nameof(Lifetimes))]
    public async Task HundredCallsSpreadOverOneLifetime_RefreshAtMostOnce(int lifetimeSeconds)
    {
        var serverId = TokenLifetimeClusterFixture.ServerId(lifetimeSeconds);
        var authorizationServer = _fixture.AuthorizationServerOf(serverId);
        var key = SessionClusterFixture.NewKey(serverId);
        await _fixture.ConnectAsync(key);
        var refreshes = authorizationServer.RefreshRequestCount;
        var reuse = authorizationServer.RefreshTokenReuseCount;
        var step = TimeSpan.FromSeconds(lifetimeSeconds) / 100;

        for (var i = 0; i < 100; i++)
        {
            AssertSucceeded(await _fixture.Session(key).SendAsync(Echo("call " + i)));
            _fixture.Clock.Advance(step);
        }

        Assert.InRange(authorizationServer.RefreshRequestCount - refreshes, 0, 1);
        Assert.Equal(reuse, authorizationServer.RefreshTokenReuseCount);
    }

    [Fact]
    public async Task TokenWithoutExpiresIn_IsUsedUntilTheServerRefusesIt_ThenRefreshedOnce()
    {
        var serverId = TokenLifetimeClusterFixture.NoExpiryServerId;
        var authorizationServer = _fixture.AuthorizationServerOf(serverId);
        var key = SessionClusterFixture.NewKey(serverId);
        await _fixture.ConnectAsync(key);
        var refreshes = authorizationServer.RefreshRequestCount;
        var step = TokenLifetimeClusterFixture.NoExpiryLifetime / 100;

        // A day of calls on a token whose expiry the client was never told: no refresh at all.
        for (var i = 0; i < 99; i++)
        {
            AssertSucceeded(await _fixture.Session(key).SendAsync(Echo("call " + i)));
            _fixture.Clock.Advance(step);
        }

        Assert.Equal(refreshes, authorizationServer.RefreshRequestCount);

        // Past its real lifetime the server refuses it (401): one refresh, and the call succeeds.
        _fixture.Clock.Advance(step * 2);
        AssertSucceeded(await _fixture.Session(key).SendAsync(Echo("refused, refreshed, retried")));
        AssertSucceeded(await _fixture.Session(key).SendAsync(Echo("and the new one is kept")));

        Assert.Equal(refreshes + 1, authorizationServer.RefreshRequestCount);
        Assert.Equal(0, authorizationServer.RefreshTokenReuseCount);
    }
}
