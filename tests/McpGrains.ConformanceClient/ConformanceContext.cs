using System.Text.Json;

namespace McpGrains.ConformanceClient;

/// <summary>
/// What the suite tells the client: the scenario name (<c>MCP_CONFORMANCE_SCENARIO</c>) and its context
/// (<c>MCP_CONFORMANCE_CONTEXT</c>, JSON such as <c>{"name":..,"client_id":..,"client_secret":..}</c>).
/// </summary>
public sealed class ConformanceContext
{
    public const string ScenarioVariable = "MCP_CONFORMANCE_SCENARIO";
    public const string ContextVariable = "MCP_CONFORMANCE_CONTEXT";
    public const string ProtocolVersionVariable = "MCP_CONFORMANCE_PROTOCOL_VERSION";

    public string Scenario { get; private init; } = "";

    /// <summary>The protocol revision the run speaks on the wire (set by suite 0.2.x only).</summary>
    public string? ProtocolVersion { get; private init; }

    public string? ClientId { get; private init; }

    public string? ClientSecret { get; private init; }

    /// <summary>The raw context properties, for scenarios that carry more than credentials.</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties { get; private init; } = new Dictionary<string, JsonElement>();

    public static ConformanceContext FromEnvironment()
    {
        var scenario = Environment.GetEnvironmentVariable(ScenarioVariable) ?? "";
        var json = Environment.GetEnvironmentVariable(ContextVariable);
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(json))
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    properties[property.Name] = property.Value.Clone();
                }
            }
        }

        return new ConformanceContext
        {
            Scenario = scenario,
            ProtocolVersion = Environment.GetEnvironmentVariable(ProtocolVersionVariable) is { Length: > 0 } version ? version : null,
            ClientId = ReadString(properties, "client_id"),
            ClientSecret = ReadString(properties, "client_secret"),
            Properties = properties,
        };
    }

    /// <summary>A string property of the context, or null.</summary>
    public string? Get(string name) => ReadString(new Dictionary<string, JsonElement>(Properties), name);

    public override string ToString() => $"ConformanceContext {{ Scenario = {Scenario}, ClientId = {ClientId}, HasSecret = {ClientSecret is not null} }}";

    private static string? ReadString(Dictionary<string, JsonElement> properties, string name) =>
        properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
