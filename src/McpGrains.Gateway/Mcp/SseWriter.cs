using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace McpGrains.Gateway.Mcp;

/// <summary>Server-sent events on an HTTP response: one JSON-RPC message per <c>message</c> event.</summary>
internal sealed class SseWriter(HttpResponse response)
{
    private readonly PipeWriter _output = response.BodyWriter;

    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.ContentEncoding = "identity";
        // Tells nginx (infra/nginx) not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>Writes one event whose data is a whole JSON-RPC message; <paramref name="eventId"/> makes it resumable.</summary>
    public void Message(string messageJson, string? eventId = null)
    {
        Prefix(eventId);
        JsonRpcWriter.Utf8(_output, messageJson);
        _output.Write("\n\n"u8);
    }

    /// <summary>Writes an event whose data is a JSON-RPC result envelope around raw result JSON.</summary>
    public void Result(ReadOnlySpan<byte> id, string resultJson)
    {
        Prefix(null);
        JsonRpcWriter.Result(_output, id, resultJson);
        _output.Write("\n\n"u8);
    }

    public void Error(ReadOnlySpan<byte> id, int code, string message, string? dataJson = null)
    {
        Prefix(null);
        JsonRpcWriter.Error(_output, id, code, message, dataJson);
        _output.Write("\n\n"u8);
    }

    /// <summary>An event with an id and no data: the client resumes after it if the stream breaks now.</summary>
    public void Prime(string eventId)
    {
        _output.Write("id: "u8);
        JsonRpcWriter.Utf8(_output, eventId);
        _output.Write("\ndata: \n\n"u8);
    }

    public void KeepAlive() => _output.Write(": keep-alive\n\n"u8);

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    private void Prefix(string? eventId)
    {
        if (eventId is not null)
        {
            _output.Write("id: "u8);
            JsonRpcWriter.Utf8(_output, eventId);
            _output.Write("\n"u8);
        }

        _output.Write("event: message\ndata: "u8);
    }
}
