using System.Text.Json;

namespace McpGrains.Gateway.Mcp;

internal sealed partial class McpMessage
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    /// <summary>Reads one JSON-RPC message; a batch (array) or anything malformed is <see cref="McpMessageKind.Invalid"/>.</summary>
    public static McpMessage Read(ReadOnlyMemory<byte> body)
    {
        var message = new McpMessage(body);
        try
        {
            message.ReadEnvelope();
        }
        catch (JsonException)
        {
            message.Invalidate("The body is not valid JSON.");
        }

        return message;
    }

    private void Invalidate(string problem)
    {
        Kind = McpMessageKind.Invalid;
        Problem = problem;
    }

    private void ReadEnvelope()
    {
        var reader = new Utf8JsonReader(Body.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Invalidate(reader.TokenType == JsonTokenType.StartArray ? "JSON-RPC batches are not supported." : "The body must be one JSON-RPC message object.");
            return;
        }

        var jsonRpc = false;
        var hasId = false;
        var hasResult = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                jsonRpc = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    hasId = true;
                    Id = Body.Slice((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex));
                    IdString = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                Method = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadParams(ref reader);
                }
                else
                {
                    reader.Skip();
                }

                Params = Body[start..(int)reader.BytesConsumed];
            }
            else if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8))
            {
                hasResult = true;
                reader.Read();
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        Kind = (jsonRpc, Method is not null, hasId, hasResult) switch
        {
            (false, _, _, _) => McpMessageKind.Invalid,
            (true, true, true, _) => McpMessageKind.Request,
            (true, true, false, _) => McpMessageKind.Notification,
            (true, false, true, true) => McpMessageKind.Response,
            _ => McpMessageKind.Invalid,
        };
        if (Kind == McpMessageKind.Invalid)
        {
            Problem = jsonRpc ? "The message is neither a request, a notification nor a response." : "The message must carry \"jsonrpc\": \"2.0\".";
        }
    }

    private void ReadParams(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("_meta"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    HasMeta = true;
                    ReadMeta(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("uri"u8))
            {
                reader.Read();
                Target = reader.TokenType == JsonTokenType.String ? reader.GetString() : Target;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("protocolVersion"u8))
            {
                reader.Read();
                ProtocolVersion = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("capabilities"u8))
            {
                reader.Read();
                Capabilities = Slice(ref reader);
            }
            else if (reader.ValueTextEquals("clientInfo"u8))
            {
                reader.Read();
                ReadClientInfo(ref reader);
            }
            else if (reader.ValueTextEquals("inputResponses"u8))
            {
                HasInputResponses = true;
                reader.Read();
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadMeta(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("progressToken"u8))
            {
                reader.Read();
                ProgressToken = reader.TokenType is JsonTokenType.String or JsonTokenType.Number ? Slice(ref reader) : SkipEmpty(ref reader);
            }
            else if (reader.ValueTextEquals("io.modelcontextprotocol/protocolVersion"u8))
            {
                reader.Read();
                MetaProtocolVersion = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("io.modelcontextprotocol/clientCapabilities"u8))
            {
                reader.Read();
                MetaClientCapabilitiesToken = reader.TokenType;
                MetaClientCapabilities = Slice(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadClientInfo(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            var isVersion = reader.ValueTextEquals("version"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && (isName || isVersion))
            {
                var value = reader.GetString();
                ClientName = isName ? value : ClientName;
                ClientVersion = isVersion ? value : ClientVersion;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>The current value (after skipping it) as raw bytes.</summary>
    private ReadOnlyMemory<byte> Slice(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Body[start..(int)reader.BytesConsumed];
    }

    private static ReadOnlyMemory<byte> SkipEmpty(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return default;
    }
}
