using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGrains.Grains.Sessions;

/// <summary>The JSON-RPC messages a session grain sends downstream, written once, and the answers it reads back.</summary>
internal static class DownstreamMessages
{
    public const string SubscriptionIdMeta = "io.modelcontextprotocol/subscriptionId";

    public static string Notification(string method, JsonNode? parameters) => Write(null, method, parameters);

    public static string Request(string id, string method, JsonNode? parameters) => Write(id, method, parameters);

    /// <summary>
    /// The params of an upstream notification as a downstream client must see them: without the subscription id of
    /// McpGrains' own upstream listen stream (a downstream listen stream gets its own).
    /// </summary>
    public static JsonNode? WithoutUpstreamSubscription(JsonNode? parameters)
    {
        if (parameters is JsonObject { } p && p["_meta"] is JsonObject meta && meta.ContainsKey(SubscriptionIdMeta))
        {
            var copy = (JsonObject)p.DeepClone();
            var copiedMeta = (JsonObject)copy["_meta"]!;
            copiedMeta.Remove(SubscriptionIdMeta);
            if (copiedMeta.Count == 0)
            {
                copy.Remove("_meta");
            }

            return copy;
        }

        return parameters;
    }

    /// <summary>The same notification tagged for one listen stream.</summary>
    public static string ForSubscription(string method, JsonNode? parameters, string subscriptionIdJson)
    {
        var copy = parameters?.DeepClone() as JsonObject ?? new JsonObject();
        if (copy["_meta"] is not JsonObject meta)
        {
            meta = new JsonObject();
            copy["_meta"] = meta;
        }

        meta[SubscriptionIdMeta] = JsonNode.Parse(subscriptionIdJson);
        return Notification(method, copy);
    }

    /// <summary>A downstream client's JSON-RPC response as the answer to an upstream server request.</summary>
    public static UpstreamResult ReadAnswer(string responseJson)
    {
        try
        {
            using var document = JsonDocument.Parse(responseJson);
            var root = document.RootElement;
            if (root.TryGetProperty("result", out var result))
            {
                return UpstreamResult.Success(result.GetRawText());
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : -32603;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "The client refused the request.";
                var data = error.TryGetProperty("data", out var d) ? d.GetRawText() : null;
                return UpstreamResult.Failure(new UpstreamRpcError(code, message, data));
            }
        }
        catch (JsonException)
        {
            // Answered below.
        }

        return UpstreamResult.Failure(new UpstreamRpcError(-32603, "The client's answer was not a JSON-RPC response.", null));
    }

    private static string Write(string? id, string method, JsonNode? parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("method", method);
            if (parameters is not null)
            {
                writer.WritePropertyName("params");
                parameters.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
