using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// A JSON-RPC error of the upstream as the SDK reports it (<see cref="McpProtocolException"/>), back in the form the
/// upstream sent: its code, its own message (the SDK prefixes one) and its <c>data</c> (the SDK spreads it over
/// <see cref="Exception.Data"/>), so that the downstream client sees what a direct client would.
/// </summary>
internal static class UpstreamRpcErrors
{
    private const string RemotePrefix = "Request failed (remote): ";

    public static UpstreamRpcError From(McpProtocolException ex)
    {
        var message = ex.Message.StartsWith(RemotePrefix, StringComparison.Ordinal) ? ex.Message[RemotePrefix.Length..] : ex.Message;
        return new UpstreamRpcError((int)ex.ErrorCode, message, DataOf(ex.Data));
    }

    private static string? DataOf(IDictionary data)
    {
        if (data.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (DictionaryEntry entry in data)
        {
            if (entry.Key is not string name)
            {
                continue;
            }

            json[name] = entry.Value switch
            {
                null => null,
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                double number when number == Math.Floor(number) && Math.Abs(number) < 9007199254740992d => JsonValue.Create((long)number),
                double number => JsonValue.Create(number),
                _ => null,
            };
        }

        return json.Count == 0 ? null : json.ToJsonString();
    }
}
