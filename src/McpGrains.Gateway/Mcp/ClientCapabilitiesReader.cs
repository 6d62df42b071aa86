using System.Text.Json;

namespace McpGrains.Gateway.Mcp;

/// <summary>Reads what a client can answer from its raw <c>capabilities</c> object (initialize or per-request).</summary>
internal static class ClientCapabilitiesReader
{
    public static DownstreamCapabilities Read(ReadOnlySpan<byte> capabilities)
    {
        if (capabilities.IsEmpty)
        {
            return DownstreamCapabilities.None;
        }

        bool form = false, url = false, sampling = false, roots = false;
        var reader = new Utf8JsonReader(capabilities);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return DownstreamCapabilities.None;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("elicitation"u8))
                {
                    reader.Read();
                    (form, url) = ReadElicitation(ref reader);
                }
                else
                {
                    sampling |= reader.ValueTextEquals("sampling"u8);
                    roots |= reader.ValueTextEquals("roots"u8);
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return DownstreamCapabilities.None;
        }

        return new DownstreamCapabilities(form, url, sampling, roots);
    }

    /// <summary><c>elicitation: {}</c> means form elicitation (the revisions before URL elicitation had only that).</summary>
    private static (bool Form, bool Url) ReadElicitation(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (false, false);
        }

        bool form = false, url = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            form |= reader.ValueTextEquals("form"u8);
            url |= reader.ValueTextEquals("url"u8);
            reader.Read();
            reader.Skip();
        }

        return (form || !url, url);
    }
}
