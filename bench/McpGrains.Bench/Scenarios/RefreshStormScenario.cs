using System.Diagnostics;
using McpGrains.Bench.Infrastructure;
using McpGrains.Testing;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 3: K connected sessions with live upstream connections; the authorization server expires every access
/// token, then 10 calls per session are issued at once (REST, at most <see cref="MaxSockets"/> sockets). Upstream 401s
/// force refreshes: exactly K are expected. Anchors in the same run: the same calls with valid tokens, and a bare
/// HttpClient redeeming K refresh tokens at the same concurrency.
/// Scenario 4 (in-memory storage): authorization flows (authorize + sign-in page and Continue + browser + callback) per second.
/// </summary>
public sealed class RefreshStormScenario(BenchSettings settings, BenchResults results, Uri echoEndpoint)
{
    public const int MaxSockets = 1024;

    public async Task RunAsync()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            PreRegisteredClients = [BareOAuthClient.Registration],
        });
        await using var protectedServer = await ProtectedMcpServer.StartAsync(authorizationServer);
        await using var gateway = await GatewayHost.StartAsync(echoEndpoint, protectedServer.McpUri, null);
        using var rest = new GatewayClient(gateway);
        using var browser = new TestBrowser();
        using var bare = new BareOAuthClient(authorizationServer, protectedServer.Resource);

        if (settings.Scenarios.Contains(4))
        {
            await FlowRateAsync(rest);
        }

        if (!settings.Scenarios.Contains(3))
        {
            return;
        }

        foreach (var size in settings.StormSizes)
        {
            var prefix = $"storm-n{size}-";
            await Bounded.ForEachAsync(size, settings.SeedConcurrency, i => rest.ConnectAsync(prefix + i, GatewayHost.ProtectedServer));
            await Bounded.ForEachAsync(size, 64, i => rest.CallEchoAsync(prefix + i, GatewayHost.ProtectedServer));
            var bareTokens = new string[size];
            await Bounded.ForEachAsync(size, settings.SeedConcurrency, async i => bareTokens[i] = await bare.ObtainRefreshTokenAsync(browser, "bare-" + i));

            for (var run = 1; run <= settings.Runs; run++)
            {
                var calls = size * settings.StormCallsPerSession;
                var baseline = await FireAsync(calls, i => rest.CallEchoAsync(prefix + (i % size), GatewayHost.ProtectedServer));

                authorizationServer.ExpireAllAccessTokens();
                var refreshesBefore = authorizationServer.RefreshRequestCount;
                var storm = await FireAsync(calls, i => rest.CallEchoAsync(prefix + (i % size), GatewayHost.ProtectedServer));
                var refreshes = authorizationServer.RefreshRequestCount - refreshesBefore;

                var anchor = await FireAsync(size, async i => bareTokens[i] = await bare.RefreshAsync(bareTokens[i]));

                results[$"s3/{size}/storm"].Add(storm.Wall.TotalMilliseconds);
                results[$"s3/{size}/baseline"].Add(baseline.Wall.TotalMilliseconds);
                results[$"s3/{size}/bare"].Add(anchor.Wall.TotalMilliseconds);
                results[$"s3/{size}/refreshes"].Add(refreshes);
                results[$"s3/{size}/errors"].Add(storm.Errors + baseline.Errors);
                Console.WriteLine($"  run {run}, {size} sessions: storm {storm.Wall.TotalMilliseconds:F0} ms ({refreshes} refreshes, {storm.Errors} errors), same calls without refresh {baseline.Wall.TotalMilliseconds:F0} ms, bare refreshes {anchor.Wall.TotalMilliseconds:F0} ms");
            }
        }
    }

    private async Task FlowRateAsync(GatewayClient rest)
    {
        await Bounded.ForEachAsync(50, settings.FlowConcurrency, i => rest.ConnectAsync("flow-warm-" + i, GatewayHost.ProtectedServer));
        for (var run = 1; run <= settings.Runs; run++)
        {
            var (wall, latencies) = await Bounded.ForEachAsync(settings.FlowsPerRun, settings.FlowConcurrency, i => rest.ConnectAsync($"flow-r{run}-{i}", GatewayHost.ProtectedServer));
            results["s4/memory/rate"].Add(settings.FlowsPerRun / wall.TotalSeconds);
            results["s4/memory/p50"].Add(LoadRunner.Percentile(latencies, 0.5));
            Console.WriteLine($"  run {run}: {settings.FlowsPerRun / wall.TotalSeconds:F0} authorization flows/s (in-memory), p50 {LoadRunner.Percentile(latencies, 0.5):F1} ms");
        }
    }

    /// <summary>All calls started at once (sockets capped by the client); wall time until the last one ends.</summary>
    private static async Task<(TimeSpan Wall, int Errors)> FireAsync(int count, Func<int, Task> call)
    {
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                await call(i);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref errors) <= 3)
                {
                    Console.Error.WriteLine($"  call failed: {ex.Message}");
                }
            }
        }));
        return (Stopwatch.GetElapsedTime(started), errors);
    }
}
