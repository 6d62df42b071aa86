using System.Text.Json;

namespace McpGrains.OAuth;

/// <summary>Tolerant accessors for untrusted JSON objects: unknown members are ignored, wrong types are errors.</summary>
internal static class JsonObjectReader
{
    public const int MaxDocumentBytes = 256 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 32,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Parses <paramref name="utf8Json"/>; throws <see cref="FormatException"/> unless it is one JSON object.</summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> utf8Json, string what)
    {
        if (utf8Json.Length > MaxDocumentBytes)
        {
            throw new FormatException($"The {what} exceeds {MaxDocumentBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException)
        {
            throw new FormatException($"The {what} is not valid JSON.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new FormatException($"The {what} must be a JSON object, not {kind}.");
        }

        return document;
    }

    public static string? GetString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"The member '{name}' must be a string.");
        }

        return ReadString(value, name);
    }

    /// <summary>A string array; non-string elements are skipped, a non-array value is an error.</summary>
    public static IReadOnlyList<string>? GetStringArray(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"The member '{name}' must be an array of strings.");
        }

        var items = new List<string>();
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.String && ReadString(element, name) is { Length: > 0 } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    public static bool GetBoolean(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A non-negative integer given as a JSON number or a numeric string (Entra sends <c>"3599"</c>).</summary>
    public static long? GetFlexibleInt64(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.Number when value.TryGetDouble(out var real) && real >= 0 && real < long.MaxValue => (long)real,
            JsonValueKind.String when long.TryParse(ReadString(value, name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>
    /// A JSON string as text. The document parser leaves string contents unchecked: invalid UTF-8, or an escaped lone
    /// surrogate (<c>"\ud800"</c>), only fails here, and is a malformed document like any other.
    /// </summary>
    private static string ReadString(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new FormatException($"The member '{name}' is not valid text (invalid UTF-8 or a lone surrogate).");
        }
    }
}
