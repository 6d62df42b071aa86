using System.Diagnostics;

namespace McpGrains.Bench.Infrastructure;

/// <summary>Runs one action per item with bounded concurrency; returns the wall time and each item's latency (ms).</summary>
public static class Bounded
{
    public static async Task<(TimeSpan Wall, double[] Latencies)> ForEachAsync(int count, int concurrency, Func<int, Task> action)
    {
        var latencies = new double[count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            await Task.Yield();
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }

                var begin = Stopwatch.GetTimestamp();
                await action(index);
                latencies[index] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var wall = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return (wall, latencies);
    }
}
