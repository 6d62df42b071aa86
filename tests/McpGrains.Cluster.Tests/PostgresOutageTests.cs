using System.Diagnostics;
using System.Net;
using McpGrains.Cluster.Tests.Harness;
using McpGrains.Testing;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>PostgreSQL goes away and comes back: requests fail fast with 503, and the cluster recovers by itself.</summary>
public sealed class PostgresOutageTests
{
    private readonly ITestOutputHelper _output;

    public PostgresOutageTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task PostgresDown_StorageCallsAnswer503ProblemJson_ThenRecoverWithoutRestart()
    {
        // A server of its own: stopping it must not disturb the other tests' databases.
        await using var postgres = await PostgresServer.StartAsync();
        await using var cluster = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { Silos = 1, FrontEnds = 1, Postgres = postgres });
        await cluster.StartAsync();
        // Discovery and client registration done, and the server grain active: the call below needs only storage.
        await cluster.BeginAuthorizationAsync("outage-warm-up", frontEnd: 1);
        var user = "outage-" + Guid.NewGuid().ToString("N")[..10];
        var path = $"/api/v1/users/{user}/connections/{ClusterHarness.ServerId}/authorize";

        await postgres.StopImmediatelyAsync();
        var clock = Stopwatch.StartNew();
        using (var during = await cluster.SendAsync(HttpMethod.Post, 1, path))
        {
            _output.WriteLine($"during the outage: {(int)during.StatusCode} after {clock.Elapsed.TotalSeconds:F1} s");
            var problem = await cluster.ReadJsonAsync(during, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.Equal("storage_unavailable", problem.GetProperty("code").GetString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the 503 took {clock.Elapsed.TotalSeconds:F1} s");
        }

        using (var ready = await cluster.SendAsync(HttpMethod.Get, 1, "/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await postgres.StartAgainAsync();
        // Readiness (PostgreSQL reachable again from both processes), then the very same call, once.
        await cluster.Silo(1).WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        await cluster.FrontEnd(1).WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var after = await cluster.SendAsync(HttpMethod.Post, 1, path);
        var body = await cluster.ReadJsonAsync(after, HttpStatusCode.OK);
        Assert.Equal("authorization_required", body.GetProperty("status").GetString());
        await cluster.CompleteAuthorizationAsync(body.GetProperty("authorizationUrl").GetString()!, user, frontEnd: 1);
        Assert.Equal("connected", await cluster.GetStatusAsync(user, frontEnd: 1));
        await cluster.AssertEchoWorksAsync(user, frontEnd: 1);
        _output.WriteLine(string.Join("\n", cluster.Events));
    }
}
