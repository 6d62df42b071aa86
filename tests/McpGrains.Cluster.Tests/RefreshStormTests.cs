using System.Diagnostics;
using System.Net;
using System.Text.Json;
using McpGrains.Cluster.Tests.Harness;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>One activation per (user, server) cluster-wide makes a refresh single-flight, whichever front end asks.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class RefreshStormTests
{
    private const int Sessions = 20;
    private const int CallsPerSession = 20;

    private readonly ClusterHarness _cluster;
    private readonly ITestOutputHelper _output;

    public RefreshStormTests(SharedClusterFixture fixture, ITestOutputHelper output)
    {
        _cluster = fixture.Cluster;
        _output = output;
    }

    [Fact]
    public async Task ExpiredTokens_ConcurrentCallsThroughBothFrontEnds_OneRefreshPerSessionAndEveryCallSucceeds()
    {
        var clock = Stopwatch.StartNew();
        var users = Enumerable.Range(0, Sessions).Select(i => $"storm-{i}-{Guid.NewGuid():N}"[..20]).ToArray();
        await Task.WhenAll(users.Select((user, i) => _cluster.ConnectAsync(user, authorizeVia: 1 + (i % 2), callbackVia: 2 - (i % 2))));
        _output.WriteLine($"{Sessions} sessions connected in {clock.Elapsed.TotalSeconds:F1} s");
        var refreshesBefore = _cluster.AuthorizationServer.RefreshRequestCount;
        var reuseBefore = _cluster.AuthorizationServer.RefreshTokenReuseCount;

        _cluster.AuthorizationServer.ExpireAllAccessTokens();
        var storm = Stopwatch.StartNew();
        var calls = users.SelectMany(user => Enumerable.Range(0, CallsPerSession).Select(async call =>
        {
            var message = $"{user}/{call}";
            using var response = await _cluster.CallEchoAsync(user, message, frontEnd: 1 + (call % 2));
            var body = await response.Content.ReadAsStringAsync();
            return (Message: message, response.StatusCode, Body: body);
        })).ToArray();
        var results = await Task.WhenAll(calls);
        _output.WriteLine($"{results.Length} calls in {storm.Elapsed.TotalSeconds:F1} s");

        var failures = results.Where(r => r.StatusCode != HttpStatusCode.OK || !EchoContains(r.Body, r.Message)).ToList();
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {results.Length} calls failed, e.g. {failures.FirstOrDefault()}\n{_cluster.Diagnostics()}");
        Assert.Equal(Sessions, _cluster.AuthorizationServer.RefreshRequestCount - refreshesBefore);
        Assert.Equal(reuseBefore, _cluster.AuthorizationServer.RefreshTokenReuseCount);
    }

    private static bool EchoContains(string body, string message)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("content")[0].GetProperty("text").GetString()?.Contains(message, StringComparison.Ordinal) == true;
    }
}
