using McpGrains.Bench.Infrastructure;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 2 (live part) and the growth of scenario 1: M users each get a live upstream Streamable HTTP session
/// (opened by one REST echo call); the managed heap grows by M times the memory per live session. Then the echo tool at
/// concurrency 64 spread over those M users.
/// </summary>
public sealed class LiveSessionsScenario(BenchSettings settings, BenchResults results, GatewayHost gateway)
{
    public async Task RunAsync()
    {
        using var rest = new GatewayClient(gateway);
        await Bounded.ForEachAsync(200, 16, i => rest.CallEchoAsync($"live-warm-{i}", GatewayHost.OpenServer));
        for (var run = 1; run <= settings.Runs; run++)
        {
            foreach (var size in settings.LiveSizes)
            {
                var prefix = $"live-r{run}-n{size}-";
                var before = Heap.Measure();
                var (wall, _) = await Bounded.ForEachAsync(size, 64, i => rest.CallEchoAsync(prefix + i, GatewayHost.OpenServer));
                var after = Heap.Measure();
                results[$"s2/live/{size}/bytes"].Add((after - before) / (double)size);
                results[$"s2/live/{size}/rate"].Add(size / wall.TotalSeconds);

                var counter = -1;
                var load = await LoadRunner.RunAsync(ProxyOverheadScenario.Wide, settings.CallsAt64, _ =>
                    rest.CallEchoAsync(prefix + ((uint)Interlocked.Increment(ref counter) % (uint)size), GatewayHost.OpenServer));
                results[$"s1/growth/{size}/tput"].Add(load.Throughput);
                results[$"s1/growth/{size}/p50"].Add(load.P50);
                results[$"s1/growth/{size}/p99"].Add(load.P99);
                // Close them (untimed) so that later runs start from the same heap and socket count.
                await Bounded.ForEachAsync(size, 64, async i =>
                {
                    using var _ = await rest.Http.DeleteAsync($"api/v1/users/{prefix + i}/connections/{GatewayHost.OpenServer}");
                });
                Console.WriteLine($"  run {run}, {size} live sessions: {(after - before) / (double)size / 1024:F1} KiB each, opened at {size / wall.TotalSeconds:F0}/s; c64 over them {load.Throughput:F0} calls/s, p50 {load.P50:F2} ms");
            }
        }
    }
}
