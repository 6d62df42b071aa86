using System.Buffers;
using System.Text.Json;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Dresses a request's params for the upstream on raw JSON, as <see cref="UpstreamParams"/> and the SDK do on a node
/// tree: the per-request protocol metadata of this hop (<c>_meta</c> keys under <c>io.modelcontextprotocol/</c>) is
/// removed, what the upstream must get is added, and everything else is copied byte for byte.
/// </summary>
internal static class RawParams
{
    public const string ClientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities";

    private static ReadOnlySpan<byte> Meta => "_meta"u8;

    private static ReadOnlySpan<byte> ReservedPrefix => "io.modelcontextprotocol/"u8;

    private static ReadOnlySpan<byte> ClientCapabilities => "io.modelcontextprotocol/clientCapabilities"u8;

    /// <summary>A <c>_meta</c> entry to set: its name and its value as JSON; <paramref name="IfAbsent"/> keeps a kept value of the client's.</summary>
    public readonly record struct Entry(string Name, string ValueJson, bool IfAbsent = false);

    /// <summary>
    /// The params with their reserved metadata replaced by <paramref name="added"/> (the client's own capabilities kept
    /// when <paramref name="keepClientCapabilities"/>); empty params stay empty when nothing is added. Null when the
    /// params cannot be dressed here (not an object, an escaped property name): the SDK's path dresses them then.
    /// </summary>
    public static ReadOnlyMemory<byte>? Dress(ReadOnlySpan<byte> json, bool keepClientCapabilities, IReadOnlyList<Entry> added)
    {
        if (json.IsEmpty && added.Count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var output = new ArrayBufferWriter<byte>(json.Length + 256);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        var wroteMeta = false;
        if (!json.IsEmpty)
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped)
                {
                    return null;
                }

                if (reader.ValueTextEquals(Meta))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject || !WriteMeta(writer, json, ref reader, keepClientCapabilities, added))
                    {
                        return null;
                    }

                    wroteMeta = true;
                    continue;
                }

                writer.WritePropertyName(reader.ValueSpan);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
            }
        }

        if (!wroteMeta && added.Count > 0)
        {
            writer.WritePropertyName(Meta);
            writer.WriteStartObject();
            foreach (var entry in added)
            {
                writer.WritePropertyName(entry.Name);
                writer.WriteRawValue(entry.ValueJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
        return output.WrittenMemory;
    }

    /// <summary>Writes <c>_meta</c> (the reader on its start): kept entries, then the added ones; nothing when it ends up empty.</summary>
    private static bool WriteMeta(Utf8JsonWriter writer, ReadOnlySpan<byte> json, ref Utf8JsonReader reader, bool keepClientCapabilities, IReadOnlyList<Entry> added)
    {
        Span<Range> names = stackalloc Range[32];
        Span<Range> values = stackalloc Range[32];
        var keptCount = 0;
        var keptCapabilities = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            var nameStart = (int)reader.TokenStartIndex + 1;
            var name = new Range(nameStart, nameStart + reader.ValueSpan.Length);
            var capabilities = reader.ValueTextEquals(ClientCapabilities);
            var drop = reader.ValueSpan.StartsWith(ReservedPrefix) && !(capabilities && keepClientCapabilities);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            if (drop)
            {
                continue;
            }

            if (keptCount == names.Length)
            {
                return false;
            }

            keptCapabilities |= capabilities;
            names[keptCount] = name;
            values[keptCount++] = new Range(valueStart, (int)reader.BytesConsumed);
        }

        var addedCount = 0;
        foreach (var entry in added)
        {
            addedCount += entry.IfAbsent && keptCapabilities && entry.Name == ClientCapabilitiesKey ? 0 : 1;
        }

        if (keptCount + addedCount == 0)
        {
            return true;
        }

        writer.WritePropertyName(Meta);
        writer.WriteStartObject();
        for (var i = 0; i < keptCount; i++)
        {
            writer.WritePropertyName(json[names[i]]);
            writer.WriteRawValue(json[values[i]], skipInputValidation: true);
        }

        foreach (var entry in added)
        {
            if (!(entry.IfAbsent && keptCapabilities && entry.Name == ClientCapabilitiesKey))
            {
                writer.WritePropertyName(entry.Name);
                writer.WriteRawValue(entry.ValueJson, skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
        return true;
    }
}
