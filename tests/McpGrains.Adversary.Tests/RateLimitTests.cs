using System.Net;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Calls (REST upstream calls and /mcp requests) are limited per host app and per user, authorizations per user: over a
/// limit the answer is 429 problem+json with Retry-After, the others keep being served, and the rejection is logged
/// once per window, never with the host key.
/// </summary>
public sealed class RateLimitTests(OpenUpstream upstream) : IClassFixture<OpenUpstream>
{
    private const int CallLimitEvent = 3071;
    [Fact]
    public async Task CallsPerUser_OverTheLimit_Are429_OtherUsersAndHostAppsStillServed()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:CallsPerMinutePerUser"] = "3");
        using var client = host.Client();
        using var other = host.Client(RunningHost.HostBKey);

        for (var call = 0; call < 3; call++)
        {
            using var served = await client.GetAsync("/api/v1/users/alice/connections/open/tools");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refused = await client.GetAsync("/api/v1/users/alice/connections/open/tools");
        using var bob = await client.GetAsync("/api/v1/users/bob/connections/open/tools");
        using var otherAlice = await other.GetAsync("/api/v1/users/alice/connections/open/tools");

        await Problems.AssertTooManyRequestsAsync(refused, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAlice.StatusCode);
    }

    [Fact]
    public async Task CallsPerHostApp_OverTheLimit_Are429_TheOtherHostAppStillServed()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:CallsPerMinutePerHostApp"] = "3");
        using var client = host.Client();
        using var other = host.Client(RunningHost.HostBKey);

        foreach (var user in new[] { "u1", "u2", "u3" })
        {
            using var served = await client.GetAsync($"/api/v1/users/{user}/connections/open/tools");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refused = await client.GetAsync("/api/v1/users/u4/connections/open/tools");
        using var otherHost = await other.GetAsync("/api/v1/users/u4/connections/open/tools");

        var problem = await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("CallsPerMinutePerHostApp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherHost.StatusCode);
    }

    [Fact]
    public async Task McpRequests_CountAsCalls()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:CallsPerMinutePerUser"] = "2");
        using var client = host.Client();

        using var first = await client.SendAsync(McpWire.Initialize("open", "carol"));
        using var second = await client.SendAsync(McpWire.Initialize("open", "carol"));
        using var third = await client.SendAsync(McpWire.Initialize("open", "carol"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await Problems.AssertTooManyRequestsAsync(third, "rate_limited");
    }

    [Fact]
    public async Task AuthorizationsPerUser_OverTheLimit_Are429_OtherUsersStillServed()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:AuthorizationsPerHourPerUser"] = "2");
        using var client = host.Client();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var served = await client.PostAsync("/api/v1/users/dave/connections/open/authorize", null);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refused = await client.PostAsync("/api/v1/users/dave/connections/open/authorize", null);
        using var erin = await client.PostAsync("/api/v1/users/erin/connections/open/authorize", null);
        using var stillReadable = await client.GetAsync("/api/v1/users/dave/connections/open");

        var retryAfter = await Problems.AssertTooManyRequestsAsync(refused, "rate_limited");
        Assert.True(retryAfter > TimeSpan.FromMinutes(1), $"Retry-After {retryAfter} for an hourly limit.");
        Assert.Equal(HttpStatusCode.OK, erin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillReadable.StatusCode);
    }

    [Fact]
    public async Task Rejections_AreLoggedOncePerWindow_WithoutTheHostKey()
    {
        await using var host = upstream.StartHost(settings => settings["McpGrains:Limits:CallsPerMinutePerUser"] = "1");
        using var client = host.Client();

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 6; call++)
        {
            using var response = await client.GetAsync("/api/v1/users/frank/connections/open/tools");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 5)], statuses);
        var logged = Assert.Single(host.Logs.Entries, entry => entry.EventId.Id == CallLimitEvent);
        Assert.Contains("frank", logged.Message, StringComparison.Ordinal);
        Assert.Null(host.Logs.FindAny([RunningHost.HostAKey]));
    }
}
