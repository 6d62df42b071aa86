using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace McpGrains.Cluster.Tests.Compose;

/// <summary>compose.yaml as plain data, with YAML anchors and merge keys (<c>&lt;&lt;: *x</c>) resolved as compose does.</summary>
public sealed class ComposeFile
{
    private ComposeFile(IReadOnlyDictionary<string, ComposeService> services)
    {
        Services = services;
    }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public static ComposeFile Load(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(new MergingParser(new Parser(reader)));
        var services = Map(root.GetValueOrDefault("services"))
            .ToDictionary(pair => pair.Key, pair => new ComposeService(pair.Key, Map(pair.Value)), StringComparer.Ordinal);
        return new ComposeFile(services);
    }

    internal static Dictionary<string, object?> Map(object? node) =>
        node is IDictionary<object, object?> map
            ? map.ToDictionary(pair => Convert.ToString(pair.Key, System.Globalization.CultureInfo.InvariantCulture)!, pair => pair.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);

    internal static List<string> List(object? node) =>
        node switch
        {
            IEnumerable<object?> items => [.. items.Select(item => Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture) ?? "")],
            string single => [single],
            _ => [],
        };
}
