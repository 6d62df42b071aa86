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

        return tools.Take(MaxTools).Select(t => (t.Name, ArgumentsFor(t.InputSchema))).ToList();
    }

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
