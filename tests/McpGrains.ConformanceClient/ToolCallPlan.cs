using System.Text.Json;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Which tools a scenario calls and with what: the context's <c>toolCalls</c> when the suite gives them, otherwise
/// every listed tool with arguments made up from its input schema (defaults, first enum value, or a plain value).
/// </summary>
public static class ToolCallPlan
{
    public const int MaxTools = 8;

    public static IReadOnlyList<(string Name, Dictionary<string, object?> Arguments)> Create(ConformanceContext context, IReadOnlyList<(string Name, JsonElement InputSchema)> tools)
    {
        if (context.Properties.TryGetValue("toolCalls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var planned = new List<(string, Dictionary<string, object?>)>();
            foreach (var call in calls.EnumerateArray())
            {
                if (call.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
                    if (call.TryGetProperty("arguments", out var given) && given.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in given.EnumerateObject())
                        {
                            arguments[property.Name] = property.Value.Clone();
                        }
                    }

                    planned.Add((name.GetString()!, arguments));
                }
            }

            return planned;
        }

        if (context.Scenario == SchemaPreservationScenario)
        {
            // Plays a client that hands a tool's input schema on as it received it: the suite compares what comes back
            // through its echo tool with the schema it listed (every 2020-12 keyword must survive McpGrains).
            var focal = tools.FirstOrDefault(t => t.Name == SchemaPreservationTool);
            return
            [
                (SchemaPreservationTool, new Dictionary<string, object?>(StringComparer.Ordinal)),
                (SchemaEchoTool, new Dictionary<string, object?>(StringComparer.Ordinal) { ["schema"] = focal.InputSchema.Clone() }),
            ];
        }

        return tools.Take(MaxTools).Select(t => (t.Name, ArgumentsFor(t.InputSchema))).ToList();
    }

    private const string SchemaPreservationScenario = "json-schema-2020-12-preservation";
    private const string SchemaPreservationTool = "json_schema_2020_12_tool";
    private const string SchemaEchoTool = "json_schema_echo";

    private static Dictionary<string, object?> ArgumentsFor(JsonElement schema)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return arguments;
        }

        foreach (var property in properties.EnumerateObject())
        {
            arguments[property.Name] = ValueFor(property.Value);
        }

        return arguments;
    }

    private static object? ValueFor(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "test";
        }

        if (schema.TryGetProperty("default", out var defaultValue))
        {
            return defaultValue.Clone();
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return values[0].Clone();
        }

        var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return type switch
        {
            "number" => 2.5,
            "integer" => 2,
            "boolean" => true,
            "array" => Array.Empty<object>(),
            "object" => new Dictionary<string, object?>(),
            _ => "test",
        };
    }
}
