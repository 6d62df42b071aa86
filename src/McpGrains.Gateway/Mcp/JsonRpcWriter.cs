using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Writes JSON-RPC envelopes around raw JSON: the id as the client sent it, a result or params as the grain returned
/// them. Nothing is parsed or re-serialized on the way.
/// </summary>
internal static class JsonRpcWriter
{
    public static void Result(IBufferWriter<byte> output, ReadOnlySpan<byte> id, string resultJson)
    {
        output.Write("{\"jsonrpc\":\"2.0\",\"id\":"u8);
        output.Write(id.IsEmpty ? "null"u8 : id);
        output.Write(",\"result\":"u8);
        Utf8(output, resultJson);
        output.Write("}"u8);
    }

    /// <summary>The bytes <see cref="Result(IBufferWriter{byte}, ReadOnlySpan{byte}, string)"/> writes.</summary>
    public static int ResultLength(ReadOnlySpan<byte> id, string resultJson) => ResultLength(id, Encoding.UTF8.GetByteCount(resultJson));

    /// <summary>The bytes of a result envelope around <paramref name="resultBytes"/> bytes of result.</summary>
    public static int ResultLength(ReadOnlySpan<byte> id, int resultBytes) =>
        "{\"jsonrpc\":\"2.0\",\"id\":"u8.Length + (id.IsEmpty ? "null"u8.Length : id.Length) + ",\"result\":"u8.Length + resultBytes + "}"u8.Length;

    public static void Result(IBufferWriter<byte> output, ReadOnlySpan<byte> id, ReadOnlySpan<byte> resultJson)
    {
        output.Write("{\"jsonrpc\":\"2.0\",\"id\":"u8);
        output.Write(id.IsEmpty ? "null"u8 : id);
        output.Write(",\"result\":"u8);
        output.Write(resultJson);
        output.Write("}"u8);
    }

    public static void Error(IBufferWriter<byte> output, ReadOnlySpan<byte> id, int code, string message, string? dataJson = null)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(id, skipInputValidation: true);
        }

        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        if (dataJson is not null)
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a string as UTF-8 without an intermediate array.</summary>
    public static void Utf8(IBufferWriter<byte> output, string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var span = output.GetSpan(count);
        Encoding.UTF8.GetBytes(text, span);
        output.Advance(count);
    }
}
