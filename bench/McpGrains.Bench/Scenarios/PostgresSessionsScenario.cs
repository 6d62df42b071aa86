using McpGrains.Bench.Infrastructure;
using McpGrains.Persistence;
using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 2 (connected sessions) and scenario 4 (PostgreSQL): seeds N connected sessions (tokens held, no live
/// connection) through the real OAuth flow with PostgreSQL storage, measuring the flow rate; then, per run, starts a
/// fresh host on the same database and activates the sessions (one REST status read each, the first request of each
/// session grain): activation latency, activation rate, and the managed heap per activated session.
/// </summary>
public sealed class PostgresSessionsScenario(BenchSettings settings, BenchResults results, Uri echoEndpoint)
{
    public const int ActivationConcurrency = 16;

    /// <summary>Connected sessions activated in each fresh host before anything is measured.</summary>
    public const int WarmSessions = 1000;

    public async Task RunAsync()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync();
        await new PostgresMigrator(NullLogger<PostgresMigrator>.Instance).MigrateAsync(connectionString, CancellationToken.None);
        await using var authorizationServer = await TestAuthorizationServer.StartAsync();
        await using var protectedServer = await ProtectedMcpServer.StartAsync(authorizationServer);

        var sizes = settings.Scenarios.Contains(2) ? settings.SessionSizes : [];
        var seeded = sizes.Sum();
        await using (var seeding = await GatewayHost.StartAsync(echoEndpoint, protectedServer.McpUri, connectionString))
        {
            using var rest = new GatewayClient(seeding);
            await Bounded.ForEachAsync(WarmSessions, settings.SeedConcurrency, i => rest.ConnectAsync("pg-warm-" + i, GatewayHost.ProtectedServer));
            if (settings.Scenarios.Contains(4))
            {
                for (var run = 1; run <= settings.Runs; run++)
                {
                    var (wall, latencies) = await Bounded.ForEachAsync(settings.FlowsPerRun, settings.FlowConcurrency, i => rest.ConnectAsync($"pg-flow-r{run}-{i}", GatewayHost.ProtectedServer));
                    results["s4/postgres/rate"].Add(settings.FlowsPerRun / wall.TotalSeconds);
                    results["s4/postgres/p50"].Add(LoadRunner.Percentile(latencies, 0.5));
                    Console.WriteLine($"  run {run}: {settings.FlowsPerRun / wall.TotalSeconds:F0} authorization flows/s (PostgreSQL), p50 {LoadRunner.Percentile(latencies, 0.5):F1} ms");
                }
            }

            if (seeded > 0)
            {
                var (wall, _) = await Bounded.ForEachAsync(seeded, settings.SeedConcurrency, i => rest.ConnectAsync("pg-" + i, GatewayHost.ProtectedServer));
                Console.WriteLine($"  seeded {seeded} connected sessions in {wall.TotalSeconds:F1} s ({seeded / wall.TotalSeconds:F0}/s)");
                results["s2/seed/rate"].Add(seeded / wall.TotalSeconds);
            }
        }

        for (var run = 1; run <= settings.Runs; run++)
        {
            await using var host = await GatewayHost.StartAsync(echoEndpoint, protectedServer.McpUri, connectionString);
            using var rest = new GatewayClient(host);
            // Warm the code paths (and the server grain) with sessions that are not measured. A thousand rather than
            // fifty: in the first full-size bench the first measured size (1,000) came out at 115-214 KiB per session
            // in every run against about 5 at 10,000 and 100,000, a one-time growth charged to whichever size is first.
            await Bounded.ForEachAsync(WarmSessions, ActivationConcurrency, i => StatusAsync(rest, "pg-warm-" + i, expectConnected: true));

            var offset = 0;
            var activation = new List<double>();
            foreach (var size in sizes)
            {
                var first = offset;
                var before = Heap.Measure();
                var (wall, latencies) = await Bounded.ForEachAsync(size, ActivationConcurrency, i => StatusAsync(rest, "pg-" + (first + i), expectConnected: true));
                var after = Heap.Measure();
                var (_, active) = await Bounded.ForEachAsync(size, ActivationConcurrency, i => StatusAsync(rest, "pg-" + (first + i), expectConnected: true));
                offset += size;
                activation.AddRange(latencies);
                results[$"s2/connected/{size}/bytes"].Add((after - before) / (double)size);
                results[$"s2/connected/{size}/rate"].Add(size / wall.TotalSeconds);
                results[$"s2/connected/{size}/p50"].Add(LoadRunner.Percentile(latencies, 0.5));
                results[$"s2/connected/{size}/p99"].Add(LoadRunner.Percentile(latencies, 0.99));
                results[$"s2/connected/{size}/active-p50"].Add(LoadRunner.Percentile(active, 0.5));
                Console.WriteLine($"  run {run}, {size} sessions: {(after - before) / (double)size / 1024:F2} KiB each, activated at {size / wall.TotalSeconds:F0}/s, first request p50 {LoadRunner.Percentile(latencies, 0.5):F2} ms p99 {LoadRunner.Percentile(latencies, 0.99):F2} ms, active p50 {LoadRunner.Percentile(active, 0.5):F2} ms");
            }

            if (activation.Count > 0)
            {
                var all = activation.Order().ToArray();
                results["s4/activation/p50"].Add(LoadRunner.Percentile(all, 0.5));
                results["s4/activation/p99"].Add(LoadRunner.Percentile(all, 0.99));
            }
        }
    }

    private static async Task StatusAsync(GatewayClient rest, string user, bool expectConnected)
    {
        using var response = await rest.GetConnectionAsync(user, GatewayHost.ProtectedServer);
        var body = await response.Content.ReadAsStringAsync();
        if (expectConnected && !body.Contains("\"connected\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{user} is not connected after reactivation: {body}");
        }
    }
}
