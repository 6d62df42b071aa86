using System.Text.RegularExpressions;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>What the operator files under <c>infra/</c> name: metric names in PromQL, probe paths in the manifests.</summary>
public static partial class InfraFiles
{
    public static string Root { get; } = FindRoot();

    public static string Dashboard => File.ReadAllText(Path.Combine(Root, "infra", "grafana", "mcpgrains-dashboard.json"));

    public static string Alerts => File.ReadAllText(Path.Combine(Root, "infra", "prometheus", "mcpgrains-alerts.yaml"));

    public static IEnumerable<string> Manifests => Directory.GetFiles(Path.Combine(Root, "infra", "kubernetes"), "*.yaml").Select(File.ReadAllText);

    /// <summary>The metric names a PromQL text uses: identifiers followed by a selector or a range (the files always write one).</summary>
    public static IReadOnlySet<string> MetricNames(string promQl) =>
        MetricName().Matches(promQl).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> ProbePaths() =>
        Manifests.SelectMany(text => ProbePath().Matches(text)).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*)(?:\{|\[)")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"path:\s*(/health/[a-z]+)")]
    private static partial Regex ProbePath();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (McpGrains.sln) was not found above " + AppContext.BaseDirectory);
    }
}
