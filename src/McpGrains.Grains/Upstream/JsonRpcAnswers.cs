using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;

namespace McpGrains.Grains.Upstream;

/// <summary>Reads JSON-RPC answers on raw bytes: a response's result as the server wrote it, and errors.</summary>
internal static class JsonRpcAnswers
{
    /// <summary>The response to request <paramref name="id"/> (a result as raw JSON, or its JSON-RPC error); null for any other message.</summary>
    public static UpstreamResult? Read(ReadOnlySpan<byte> json, string id)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var idMatches = false;
        var hasMethod = false;
        string? result = null;
        UpstreamRpcError? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                idMatches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(id);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                hasMethod = true;
                reader.Read();
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                result = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                error = ReadError(json[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!idMatches || hasMethod)
        {
            return null;
        }

        return error is not null ? UpstreamResult.Failure(error) : result is not null ? UpstreamResult.Success(result) : null;
    }

    private static UpstreamRpcError ReadError(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var code = (int)McpErrorCode.InternalError;
        var message = "The upstream server returned an error without a message.";
        string? data = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
                {
                    code = number;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString()!;
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new UpstreamRpcError(code, message, data);
    }

    public static UpstreamRpcError? ReadErrorMessage(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return ReadError(json[start..(int)reader.BytesConsumed]);
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    public static UpstreamRpcError? FirstEventError(byte[] body)
    {
        foreach (var item in SseParser.Create(new MemoryStream(body), static (_, data) => data.ToArray()).Enumerate())
        {
            if (item.Data.Length > 0)
            {
                return ReadErrorMessage(item.Data);
            }
        }

        return null;
    }
}
