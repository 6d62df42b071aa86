using System.Net;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Guessing host keys: after a burst of wrong keys from one client address, every attempt from that address is refused
/// with 429 for the rest of the window, the right key too (answering it would tell a guesser when it hit). Other
/// addresses are served; the throttling is logged once, without any key.
/// </summary>
public sealed class HostKeyThrottleTests
{
    private const int ThrottledEvent = 3073;
    private const string WrongKey = "wrong-key-0123456789abcdef";
    private static readonly IPAddress Guesser = IPAddress.Loopback;
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task BurstOfWrongKeys_ThrottlesThatAddress_EvenForTheRightKey_OtherAddressesServed()
    {
        await using var host = RunningHost.Start(settings => settings["McpGrains:Limits:FailedHostKeyAttemptsPerMinute"] = "3");
        using var guesser = host.Client(WrongKey, from: Guesser);
        using var guesserWithTheKey = host.Client(from: Guesser);
        using var neighbour = host.Client(from: Neighbour);
        using var neighbourGuessing = host.Client(WrongKey, from: Neighbour);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var refused = await guesser.GetAsync("/api/v1/servers");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var throttled = await guesser.GetAsync("/api/v1/servers");
        using var rightKeyThrottled = await guesserWithTheKey.GetAsync("/api/v1/servers");
        using var mcpThrottled = await guesserWithTheKey.SendAsync(McpWire.Initialize("any", "alice"));
        using var neighbourServed = await neighbour.GetAsync("/api/v1/servers");
        using var neighbourWrong = await neighbourGuessing.GetAsync("/api/v1/servers");

        await Problems.AssertTooManyRequestsAsync(throttled, "host_key_attempts_exceeded");
        await Problems.AssertTooManyRequestsAsync(rightKeyThrottled, "host_key_attempts_exceeded");
        await Problems.AssertTooManyRequestsAsync(mcpThrottled, "host_key_attempts_exceeded");
        Assert.Equal(HttpStatusCode.OK, neighbourServed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, neighbourWrong.StatusCode);
        var logged = Assert.Single(host.Logs.Entries, entry => entry.EventId.Id == ThrottledEvent);
        Assert.Contains("127.0.0.1", logged.Message, StringComparison.Ordinal);
        Assert.Null(host.Logs.FindAny([WrongKey, RunningHost.HostAKey]));
    }

    [Fact]
    public async Task RequestsWithoutAKey_AreNotCountedAsGuesses()
    {
        await using var host = RunningHost.Start(settings => settings["McpGrains:Limits:FailedHostKeyAttemptsPerMinute"] = "1");
        using var anonymous = host.Client(hostKey: null);
        using var right = host.Client();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var refused = await anonymous.GetAsync("/api/v1/servers");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var served = await right.GetAsync("/api/v1/servers");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
