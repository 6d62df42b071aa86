namespace McpGrains.Bench.Infrastructure;

/// <summary>One closed-loop run: latency percentiles in milliseconds and completed calls per second.</summary>
public sealed record LoadResult(double P50, double P99, double Throughput, int Calls, int Errors);
