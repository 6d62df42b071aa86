using McpGrains.Testing;

namespace McpGrains.Cluster.Tests.Harness;

public sealed class ClusterHarnessOptions
{
    public int Silos { get; init; } = 2;

    public int FrontEnds { get; init; } = 2;

    /// <summary>The PostgreSQL server holding the cluster's database (default: the process-wide shared one).</summary>
    public PostgresServer? Postgres { get; init; }

    /// <summary>The id of the first master key in the ring.</summary>
    public string InitialKeyId { get; init; } = "k1";

    /// <summary>Environment variables added to (or overriding) every process's settings.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
}
