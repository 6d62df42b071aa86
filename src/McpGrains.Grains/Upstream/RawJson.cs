using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpGrains.Grains.Upstream;

/// <summary>JSON checked without building a document: params are forwarded as the client wrote them.</summary>
internal static class RawJson
{
    /// <summary>True when <paramref name="json"/> is exactly one JSON value (RFC 8259), as a JSON-RPC params member must be.</summary>
    public static bool IsValid(string json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, Encoding.UTF8.GetBytes(json, buffer)));
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
