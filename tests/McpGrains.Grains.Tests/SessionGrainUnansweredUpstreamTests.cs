using System.Diagnostics;
using System.Text.Json.Nodes;
using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>
/// Upstream I/O made inside a session's exclusive section is bounded: an upstream that accepts connections and never
/// answers cannot hold the session's disconnects, sign-ins and callbacks behind it.
/// </summary>
public sealed class SessionGrainUnansweredUpstreamTests : IClassFixture<UnansweredUpstreamClusterFixture>
{
    /// <summary>Room for a shared, slow machine on top of a bound: far below "never".</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Bound = UnansweredUpstreamClusterFixture.CloseTimeout + Grace;

    private readonly UnansweredUpstreamClusterFixture _fixture;

    public SessionGrainUnansweredUpstreamTests(UnansweredUpstreamClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task UpstreamTurnedBlackHole_DisconnectAndTheNextSignInComplete_WithinTheCloseBound()
    {
        var key = SessionClusterFixture.NewKey(UnansweredUpstreamClusterFixture.BlackHoleServerId);
        await _fixture.ConnectAsync(key);
        var echo = await _fixture.Session(key).SendAsync(Echo("open"));
        Assert.True(echo.Outcome == UpstreamOutcome.Success, echo.Error?.Message);

        _fixture.BlackHoleProxy.BlackHole();

        // The disconnect ends the upstream session with a DELETE, into the black hole; a new sign-in queues behind it.
        var disconnect = _fixture.Session(key).DisconnectAsync();
        await _fixture.BlackHoleProxy.Swallowed.WaitAsync(Bound);
        var swallowed = Stopwatch.GetTimestamp();
        var authorize = _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        await disconnect.WaitAsync(Bound);
        Assert.InRange(Stopwatch.GetElapsedTime(swallowed), TimeSpan.Zero, Bound);
        var link = await authorize.WaitAsync(Bound);
        Assert.Equal(AuthorizeOutcome.AuthorizationRequired, link.Outcome);
        var callback = await _fixture.SignInAsync(link.AuthorizationUrl!);
        var completed = await _fixture.DeliverCallbackAsync(callback).WaitAsync(Bound);

        Assert.True(completed.Succeeded, completed.Error?.Message);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);

        // Opening a new connection into the black hole is bounded too (ConnectTimeout), and says so.
        var connectStarted = Stopwatch.GetTimestamp();
        var unanswered = await _fixture.Session(key).SendAsync(Echo("into the black hole")).WaitAsync(Bound);
        Assert.Equal(UpstreamOutcome.Unavailable, unanswered.Outcome);
        Assert.InRange(Stopwatch.GetElapsedTime(connectStarted), TimeSpan.Zero, UnansweredUpstreamClusterFixture.ConnectTimeout + Grace);
    }

    private static UpstreamRequest Echo(string message) =>
        new("tools/call", new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = message } }.ToJsonString());
}
