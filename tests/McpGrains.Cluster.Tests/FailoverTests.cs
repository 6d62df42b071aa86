using System.Diagnostics;
using System.Net;
using McpGrains.Cluster.Tests.Harness;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>Processes die (SIGKILL) or the whole cluster restarts: nothing acknowledged is lost.</summary>
public sealed class FailoverTests
{
    private readonly ITestOutputHelper _output;

    public FailoverTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task FlowBegunOnAKilledSilo_CompletesThroughTheOtherFrontEnd_AndSurvivesAFullClusterRestart()
    {
        await using var cluster = await ClusterHarness.CreateAsync();
        var clock = Stopwatch.StartNew();
        // Only silo 1 at first: the session grain activates there by construction.
        await cluster.StartSiloAsync(1);
        await Task.WhenAll(cluster.StartFrontEndAsync(1), cluster.StartFrontEndAsync(2));
        _output.WriteLine($"silo1 + two front ends ready after {clock.Elapsed.TotalSeconds:F1} s");

        const string user = "failover-user";
        var authorizationUrl = await cluster.BeginAuthorizationAsync(user, frontEnd: 1);
        await cluster.StartSiloAsync(2);
        await cluster.Silo(1).KillAsync();
        var killed = clock.Elapsed;

        using (var callback = await cluster.CompleteAuthorizationAsync(authorizationUrl, user, frontEnd: 2))
        {
            Assert.True(
                callback.StatusCode == HttpStatusCode.OK,
                $"callback through frontend2 answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}\n{cluster.Diagnostics()}");
        }

        _output.WriteLine($"callback completed {(clock.Elapsed - killed).TotalSeconds:F1} s after the SIGKILL of silo1");
        Assert.Equal("connected", await cluster.GetStatusAsync(user, frontEnd: 2));
        await cluster.AssertEchoWorksAsync(user, frontEnd: 2);
        await cluster.AssertEchoWorksAsync(user, frontEnd: 1);
        var authorizeRequests = cluster.AuthorizationServer.AuthorizeRequestCount;
        var codeGrants = cluster.AuthorizationServer.AuthorizationCodeGrantCount;

        var restart = Stopwatch.StartNew();
        await cluster.StopAsync();
        await cluster.StartAsync();
        _output.WriteLine($"whole cluster stopped and started again in {restart.Elapsed.TotalSeconds:F1} s");

        Assert.Equal("connected", await cluster.GetStatusAsync(user, frontEnd: 1));
        await cluster.AssertEchoWorksAsync(user, frontEnd: 1);
        await cluster.AssertEchoWorksAsync(user, frontEnd: 2);
        Assert.Equal(authorizeRequests, cluster.AuthorizationServer.AuthorizeRequestCount);
        Assert.Equal(codeGrants, cluster.AuthorizationServer.AuthorizationCodeGrantCount);
        _output.WriteLine($"total {clock.Elapsed.TotalSeconds:F1} s");
        _output.WriteLine(string.Join("\n", cluster.Events));
    }
}
