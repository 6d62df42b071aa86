using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Reads the JSON-RPC error an upstream put in the body of a non-2xx HTTP answer, as the MCP SDK reports it: a JSON
/// body, or a server-sent event stream whose first message is the error (as SDK servers answer 2026-07-28 requests).
/// McpGrains' own requests (<see cref="DirectRequestSender"/>) carry it typed (<see cref="UpstreamHttpException"/>).
/// </summary>
internal static class UpstreamHttpErrors
{
    private const string BodyMarker = "Response body: ";

    public static bool TryReadRpcError(Exception ex, [NotNullWhen(true)] out UpstreamRpcError? error)
    {
        error = null;
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is UpstreamHttpException typed)
            {
                error = typed.RpcError;
                return error is not null;
            }

            var index = current.Message.IndexOf(BodyMarker, StringComparison.Ordinal);
            if (index < 0)
            {
                continue;
            }

            var body = current.Message.AsMemory(index + BodyMarker.Length);
            if (TryParse(body, out error))
            {
                return true;
            }

            foreach (var line in body.ToString().Split('\n'))
            {
                if (line.StartsWith("data:", StringComparison.Ordinal) && TryParse(line.AsMemory(5), out error))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryParse(ReadOnlyMemory<char> json, [NotNullWhen(true)] out UpstreamRpcError? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json);
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
            // Not a JSON-RPC message.
        }

        return false;
    }
}
