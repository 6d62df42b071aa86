using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.ConformanceClient;

/// <summary>Plays a user who accepts a form elicitation as offered: every field with a default gets it (SEP-1034).</summary>
public static class ElicitationDefaults
{
    public static ValueTask<ElicitResult> AcceptAsync(ElicitRequestParams? request, CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request?.RequestedSchema?.Properties is { } properties)
        {
            foreach (var (name, schema) in properties)
            {
                // The schema types differ per kind; their JSON form always names the default "default".
                var json = JsonSerializer.SerializeToElement(schema, McpJsonUtilities.DefaultOptions);
                if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("default", out var value))
                {
                    content[name] = value.Clone();
                }
            }
        }

        return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = content });
    }
}
