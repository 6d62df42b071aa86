namespace McpGrains.Bench.Infrastructure;

/// <summary>One closed-loop run: latency percentiles in milliseconds and completed calls per second.</summary>
public sealed record LoadResult(double P50, double P99, double Throughput, int Calls, int Errors);

/// <summary>The raw latencies (ms) and wall time of one closed-loop run, to be merged with others by <see cref="LoadRunner.Summarize"/>.</summary>
public sealed record LoadSlice(double[] Latencies, TimeSpan Wall, int Errors);
