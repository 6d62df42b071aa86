using System.Globalization;

namespace McpGrains.Cluster.Tests.Compose;

/// <summary>One service of compose.yaml: the parts the tests check.</summary>
public sealed class ComposeService
{
    private readonly Dictionary<string, object?> _definition;

    public ComposeService(string name, Dictionary<string, object?> definition)
    {
        Name = name;
        _definition = definition;
        Environment = ReadEnvironment(definition.GetValueOrDefault("environment"));
    }

    public string Name { get; }

    public string? Image => _definition.GetValueOrDefault("image") as string;

    public IReadOnlyDictionary<string, object?> Build => ComposeFile.Map(_definition.GetValueOrDefault("build"));

    public IReadOnlyList<string> Command => ComposeFile.List(_definition.GetValueOrDefault("command"));

    public IReadOnlyList<string> Ports => ComposeFile.List(_definition.GetValueOrDefault("ports"));

    public IReadOnlyList<string> Volumes => ComposeFile.List(_definition.GetValueOrDefault("volumes"));

    public IReadOnlyDictionary<string, object?> Healthcheck => ComposeFile.Map(_definition.GetValueOrDefault("healthcheck"));

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string? Role => Environment.GetValueOrDefault("McpGrains__Role");

    /// <summary>depends_on as service → condition (the short list form means service_started).</summary>
    public IReadOnlyDictionary<string, string> DependsOn
    {
        get
        {
            var node = _definition.GetValueOrDefault("depends_on");
            if (node is IDictionary<object, object?>)
            {
                return ComposeFile.Map(node).ToDictionary(
                    pair => pair.Key,
                    pair => ComposeFile.Map(pair.Value).GetValueOrDefault("condition") as string ?? "service_started",
                    StringComparer.Ordinal);
            }

            return ComposeFile.List(node).ToDictionary(name => name, _ => "service_started", StringComparer.Ordinal);
        }
    }

    public override string ToString() => Name;

    private static Dictionary<string, string> ReadEnvironment(object? node)
    {
        if (node is IDictionary<object, object?>)
        {
            return ComposeFile.Map(node).ToDictionary(
                pair => pair.Key,
                pair => Convert.ToString(pair.Value, CultureInfo.InvariantCulture) ?? "",
                StringComparer.Ordinal);
        }

        // The list form: NAME=value.
        return ComposeFile.List(node)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);
    }
}
