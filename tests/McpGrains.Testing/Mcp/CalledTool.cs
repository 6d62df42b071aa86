using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

/// <summary>The tool a POSTed MCP <c>tools/call</c> names, and its arguments.</summary>
internal sealed record CalledTool(string Name, JsonElement Arguments)
{
    /// <summary>The call the request body holds, if it is a <c>tools/call</c>; the body stays readable.</summary>
    public static async Task<CalledTool?> ReadAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        request.EnableBuffering();
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var root = body.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("method", out var method) && method.ValueEquals("tools/call")
                && root.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? new CalledTool(name.GetString()!, parameters.TryGetProperty("arguments", out var arguments) ? arguments.Clone() : default)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
