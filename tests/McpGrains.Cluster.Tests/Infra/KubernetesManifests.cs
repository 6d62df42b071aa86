using McpGrains.Cluster.Tests.Compose;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace McpGrains.Cluster.Tests.Infra;

/// <summary>The documents of infra/kubernetes/*.yaml as plain data, with small accessors for what the tests read.</summary>
public sealed class KubernetesManifests
{
    private KubernetesManifests(IReadOnlyList<Dictionary<string, object?>> documents, IReadOnlyList<string> files)
    {
        Documents = documents;
        Files = files;
    }

    public IReadOnlyList<Dictionary<string, object?>> Documents { get; }

    /// <summary>The manifest files by name (kustomization.yaml included).</summary>
    public IReadOnlyList<string> Files { get; }

    public static KubernetesManifests Load(string directory)
    {
        var files = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        var documents = new List<Dictionary<string, object?>>();
        var deserializer = new DeserializerBuilder().Build();
        foreach (var file in files)
        {
            using var reader = new StringReader(File.ReadAllText(file));
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                documents.Add(ComposeFile.Map(deserializer.Deserialize<Dictionary<object, object?>>(parser)));
                parser.TryConsume<DocumentEnd>(out _);
            }
        }

        return new KubernetesManifests(documents, [.. files.Select(Path.GetFileName).OfType<string>()]);
    }

    public IEnumerable<Dictionary<string, object?>> OfKind(string kind) => Documents.Where(document => Str(document, "kind") == kind);

    public Dictionary<string, object?> Named(string kind, string name) =>
        Assert.Single(OfKind(kind), document => Str(At(document, "metadata"), "name") == name);

    /// <summary>The pod template's containers of a Deployment or Job.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Containers(Dictionary<string, object?> workload) =>
        [.. Items(At(At(At(workload, "spec"), "template"), "spec"), "containers")];

    public static Dictionary<string, string?> PodLabels(Dictionary<string, object?> workload) =>
        StringMap(At(At(At(At(workload, "spec"), "template"), "metadata"), "labels"));

    /// <summary>The literal <c>env</c> values of a container (null for <c>valueFrom</c>), with the <c>valueFrom</c> maps.</summary>
    public static Dictionary<string, Dictionary<string, object?>> Env(Dictionary<string, object?> container) =>
        Items(container, "env").ToDictionary(entry => Str(entry, "name")!, entry => entry, StringComparer.Ordinal);

    public static Dictionary<string, object?> At(Dictionary<string, object?> node, string key) => ComposeFile.Map(node.GetValueOrDefault(key));

    public static string? Str(Dictionary<string, object?> node, string key) =>
        node.GetValueOrDefault(key) is { } value ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static IEnumerable<Dictionary<string, object?>> Items(Dictionary<string, object?> node, string key) =>
        node.GetValueOrDefault(key) is IEnumerable<object?> items ? items.Select(ComposeFile.Map) : [];

    public static Dictionary<string, string?> StringMap(Dictionary<string, object?> node) =>
        node.ToDictionary(pair => pair.Key, pair => pair.Value is null ? null : Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
