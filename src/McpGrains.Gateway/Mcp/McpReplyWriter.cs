using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Writes a reply as the JSON body of a response, or as the last event of a server-sent event stream. JSON bodies carry
/// their Content-Length: a chunked body would end with a terminating chunk written after the flush, a second send on
/// the connection for every call.
/// </summary>
internal static class McpReplyWriter
{
    public static ValueTask WriteJsonAsync(HttpResponse response, ReadOnlyMemory<byte> id, McpReply reply, bool stateless)
    {
        response.StatusCode = stateless && reply.IsError ? reply.StatelessStatus : StatusCodes.Status200OK;
        response.ContentType = "application/json";
        if (reply.IsError)
        {
            WriteError(response, id.Span, reply.ErrorCode, reply.ErrorMessage!, reply.ErrorDataJson);
        }
        else
        {
            response.ContentLength = JsonRpcWriter.ResultLength(id.Span, reply.ResultJson!);
            JsonRpcWriter.Result(response.BodyWriter, id.Span, reply.ResultJson!);
        }

        return Complete(response);
    }

    public static ValueTask WriteJsonAsync(HttpResponse response, ReadOnlyMemory<byte> id, ReadOnlySpan<byte> result)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = JsonRpcWriter.ResultLength(id.Span, result.Length);
        JsonRpcWriter.Result(response.BodyWriter, id.Span, result);
        return Complete(response);
    }

    /// <summary>A JSON-RPC error with an HTTP status of its own (transport-level refusals).</summary>
    public static ValueTask WriteErrorAsync(HttpResponse response, int status, ReadOnlyMemory<byte> id, int code, string message, string? dataJson = null)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        WriteError(response, id.Span, code, message, dataJson);
        return Complete(response);
    }

    private static void WriteError(HttpResponse response, ReadOnlySpan<byte> id, int code, string message, string? dataJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.Error(buffer, id, code, message, dataJson);
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
    }

    public static void Write(SseWriter sse, ReadOnlyMemory<byte> id, McpReply reply)
    {
        if (reply.IsError)
        {
            sse.Error(id.Span, reply.ErrorCode, reply.ErrorMessage!, reply.ErrorDataJson);
        }
        else
        {
            sse.Result(id.Span, reply.ResultJson!);
        }
    }

    private static async ValueTask Complete(HttpResponse response) => await response.BodyWriter.FlushAsync();
}
