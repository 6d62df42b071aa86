using System.Diagnostics;

namespace McpGrains.Bench.Infrastructure;

/// <summary>A closed-loop load generator: <c>concurrency</c> workers each issue calls back to back.</summary>
public static class LoadRunner
{
    /// <summary>Runs <paramref name="totalCalls"/> calls spread over the workers; worker i gets its own index for picking a user or client.</summary>
    public static async Task<LoadResult> RunAsync(int concurrency, int totalCalls, Func<int, Task> call) =>
        Summarize([await RunRawAsync(concurrency, totalCalls, call)]);

    /// <summary>Several slices of one measurement (run at different moments) as one result: latencies merged, throughput over their summed wall time.</summary>
    public static LoadResult Summarize(IReadOnlyList<LoadSlice> slices)
    {
        var latencies = slices.SelectMany(s => s.Latencies).ToArray();
        Array.Sort(latencies);
        var calls = latencies.Length;
        return new LoadResult(Percentile(latencies, 0.50), Percentile(latencies, 0.99), calls / slices.Sum(s => s.Wall.TotalSeconds), calls, slices.Sum(s => s.Errors));
    }

    public static async Task<LoadSlice> RunRawAsync(int concurrency, int totalCalls, Func<int, Task> call)
    {
        var latencies = new double[totalCalls];
        var next = -1;
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Yield();
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= totalCalls)
                {
                    return;
                }

                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await call(worker);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"  call failed: {ex.GetType().Name}: {ex.Message}");
                    }
                }

                latencies[index] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return new LoadSlice(latencies, Stopwatch.GetElapsedTime(started), errors);
    }

    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
