using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>The live upstream connection against the project's MCP server on loopback (no authorization), on a fake clock.</summary>
public sealed class UpstreamSessionTests
{
    [Fact]
    public async Task EnsureConnectedAsync_ConnectsOnce_AndStartsTheIdleCheck()
    {
        await using var mcp = await ProtectedMcpServer.StartAsync(null, new ProtectedMcpServerOptions { RequireAuthorization = false });
        using var harness = SessionHarness.Create(options => options.Servers[SessionHarness.ServerId].Url = mcp.McpUri.ToString());
        var upstream = harness.Parts.Upstream;

        var first = await upstream.EnsureConnectedAsync(CancellationToken.None);
        var second = await upstream.EnsureConnectedAsync(CancellationToken.None);

        Assert.Null(first.Failure);
        Assert.Null(second.Failure);
        Assert.NotNull(upstream.LiveConnection);
        Assert.Equal(1, upstream.ConnectionAttempts);
        var timer = Assert.Single(harness.IdleTimers);
        Assert.Equal(harness.Options.Upstream.IdleTimeout / 4, timer.Period);
        await upstream.CloseAsync("test over");
    }

    [Fact]
    public async Task CloseIfIdleAsync_ClosesOnlyAConnectionUnusedForTheIdleTimeout()
    {
        await using var mcp = await ProtectedMcpServer.StartAsync(null, new ProtectedMcpServerOptions { RequireAuthorization = false });
        using var harness = SessionHarness.Create(options => options.Servers[SessionHarness.ServerId].Url = mcp.McpUri.ToString());
        var upstream = harness.Parts.Upstream;
        await upstream.EnsureConnectedAsync(CancellationToken.None);
        var idle = harness.Options.Upstream.IdleTimeout;

        upstream.BeginRequest();
        harness.Time.Advance(idle * 2);
        await upstream.CloseIfIdleAsync();
        Assert.NotNull(upstream.Connection);

        upstream.EndRequest();
        harness.Time.Advance(idle - TimeSpan.FromSeconds(1));
        await upstream.CloseIfIdleAsync();
        Assert.NotNull(upstream.Connection);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await upstream.CloseIfIdleAsync();
        Assert.Null(upstream.Connection);
        Assert.False(Assert.Single(harness.IdleTimers).Running);
    }

    [Fact]
    public async Task EnsureConnectedAsync_AfterAFailure_WaitsOutTheBackoffWithoutConnecting_ThenOpensTheCircuit()
    {
        using var harness = SessionHarness.Create(options =>
        {
            options.Upstream.CircuitBreakerThreshold = 2;
            options.Upstream.ConnectTimeout = TimeSpan.FromSeconds(5);
        });
        var upstream = harness.Parts.Upstream;
        var backoff = harness.Options.Upstream.ReconnectBaseDelay;

        var failed = await upstream.EnsureConnectedAsync(CancellationToken.None);
        var refused = await upstream.EnsureConnectedAsync(CancellationToken.None);

        Assert.Equal(UpstreamOutcome.Unavailable, failed.Failure!.Outcome);
        Assert.StartsWith("Could not connect", failed.Failure.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("the last connection attempt failed", refused.Failure!.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1, upstream.ConnectionAttempts);

        harness.Time.Advance(backoff);
        await upstream.EnsureConnectedAsync(CancellationToken.None);
        var open = await upstream.EnsureConnectedAsync(CancellationToken.None);

        Assert.Equal(2, upstream.ConnectionAttempts);
        Assert.Contains("the upstream server failed repeatedly", open.Failure!.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(harness.IdleTimers);
    }

    [Fact]
    public async Task EnsureConnectedAsync_RefusedForWantOfAuthorization_CountsNoFailure_TheNextAttemptGoesAtOnce()
    {
        // A server that needs a token answers the first connection (made before sign-in) 401: the caller authorizes,
        // and the connection after sign-in must not wait out a backoff meant for an unreachable server.
        await using var authorization = await TestAuthorizationServer.StartAsync();
        await using var mcp = await ProtectedMcpServer.StartAsync(authorization);
        using var harness = SessionHarness.Create(options => options.Servers[SessionHarness.ServerId].Url = mcp.McpUri.ToString());
        var upstream = harness.Parts.Upstream;

        var refused = await upstream.EnsureConnectedAsync(CancellationToken.None);
        var again = await upstream.EnsureConnectedAsync(CancellationToken.None);

        Assert.Equal(401, refused.Exchange!.RefusalStatus);
        Assert.Equal(401, again.Exchange!.RefusalStatus);
        Assert.DoesNotContain("retrying in", again.Failure!.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, upstream.ConnectionAttempts);
    }
}
