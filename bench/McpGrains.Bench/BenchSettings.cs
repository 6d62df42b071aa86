using System.Globalization;

namespace McpGrains.Bench;

/// <summary>Command line: <c>--full</c>, <c>--runs N</c>, <c>--only 1,2,3,4,5,6,7</c>, <c>--out DIR</c>.</summary>
public sealed class BenchSettings
{
    public bool Full { get; private init; }

    public int Runs { get; private init; } = 5;

    public IReadOnlySet<int> Scenarios { get; private init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 };

    public string OutputDirectory { get; private init; } = "";

    /// <summary>Profiling aid: after the warm-up, only loop this scenario-1 variant (e.g. rest-64u) for <see cref="SoakSeconds"/>.</summary>
    public string? SoakVariant { get; private init; }

    public int SoakSeconds { get; private init; }

    /// <summary>Calls per run at concurrency 1 and 64 (scenario 1).</summary>
    public int CallsAtOne => Full ? 2000 : 400;

    public int CallsAt64 => Full ? 20000 : 6400;

    /// <summary>Connected (tokens, no live connection) sessions activated from PostgreSQL (scenario 2).</summary>
    public IReadOnlyList<int> SessionSizes => Full ? [1000, 10000, 100000] : [100, 1000, 5000];

    /// <summary>Live upstream Streamable HTTP sessions (scenario 2), also the user spread of the growth runs of scenario 1.</summary>
    public IReadOnlyList<int> LiveSizes => Full ? [1000, 5000, 10000] : [100, 500, 2000];

    /// <summary>
    /// Sessions in the refresh storm (scenario 3), 10 calls each. The full sizes stop at the 10,000: 100,000
    /// would be 2 million REST calls per run (storm and anchor), over an hour for the five runs on two cores.
    /// </summary>
    public IReadOnlyList<int> StormSizes => Full ? [1000, 3000, 10000] : [100, 300, 1000];

    public int StormCallsPerSession => 10;

    /// <summary>Authorization flows per run (scenario 4, in-memory storage).</summary>
    public int FlowsPerRun => Full ? 2000 : 300;

    public int FlowConcurrency => 16;

    /// <summary>Parallel flows when seeding sessions (not a measured figure).</summary>
    public int SeedConcurrency => 64;

    public static BenchSettings Parse(string[] args)
    {
        var full = false;
        var runs = 5;
        HashSet<int>? only = null;
        string? output = null;
        string? soak = null;
        var soakSeconds = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--full":
                    full = true;
                    break;
                case "--runs":
                    runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--only":
                    only = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--soak":
                    soak = args[++i];
                    soakSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    output = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument {args[i]}. Use --full, --runs N, --only 1,2,3,4,5,6,7, --out DIR.");
            }
        }

        return new BenchSettings
        {
            Full = full,
            SoakVariant = soak,
            SoakSeconds = soakSeconds,
            Runs = runs,
            Scenarios = only ?? new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 },
            OutputDirectory = output ?? Path.Combine(McpGrains.Testing.NodeTools.RepositoryRoot, "docs", "benchmarks"),
        };
    }
}
