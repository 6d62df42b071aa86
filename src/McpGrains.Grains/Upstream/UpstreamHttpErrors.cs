using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace McpGrains.Grains.Upstream;

/// <summary>Reads the JSON-RPC error an upstream put in the body of a non-2xx HTTP answer, as the MCP SDK reports it.</summary>
internal static class UpstreamHttpErrors
{
    private const string BodyMarker = "Response body: ";

    public static bool TryReadRpcError(Exception ex, [NotNullWhen(true)] out UpstreamRpcError? error)
    {
        error = null;
        for (var current = ex; current is not null; current = current.InnerException)
        {
            var index = current.Message.IndexOf(BodyMarker, StringComparison.Ordinal);
            if (index < 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(current.Message.AsMemory(index + BodyMarker.Length));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var rpc)
                    && rpc.ValueKind == JsonValueKind.Object
                    && rpc.TryGetProperty("code", out var code) && code.TryGetInt32(out var number)
                    && rpc.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    error = new UpstreamRpcError(number, message.GetString()!, rpc.TryGetProperty("data", out var data) ? data.GetRawText() : null);
                    return true;
                }
            }
            catch (JsonException)
            {
                // Not a JSON-RPC body.
            }
        }

        return false;
    }
}
