using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using McpGrains.Grains.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Sends one request of an established Streamable HTTP session as raw JSON and returns its result as raw JSON: the
/// downstream client's params go out as they came and the upstream's result comes back as it was written, with no
/// typed round trip (the MCP SDK's client would build a <c>JsonRpcRequest</c> and parse every answer into a node tree).
/// It speaks what the SDK's transport speaks on a POST (headers, a JSON or server-sent-event answer, a JSON-RPC error
/// in a non-2xx body), through the same HTTP pipeline (origin guard, token handler, address guard). Anything else the
/// answer stream carries (progress, logging, a server request during the call) goes where the SDK's read loop would
/// take it, in stream order and before the answer. With <paramref name="http2"/>, its requests ask for HTTP/2 and take
/// HTTP/1.1 when the server does not offer it over TLS: every user's calls to one server then share a few multiplexed
/// connections, which cost far fewer system calls and TLS records per call than a connection per call in flight.
/// </summary>
internal sealed class DirectRequestSender(HttpMessageHandler handler, Uri endpoint, string? sessionId, string protocolVersion, Action<JsonRpcMessage> dispatch, bool http2 = false)
{
    /// <summary>
    /// The connection's handler pipeline, invoked as a reverse proxy invokes it: <see cref="HttpClient"/> would add a
    /// linked cancellation source and a state machine of its own to every call, for a timeout (infinite here) and for
    /// cancelling pending requests when it is disposed (a call in flight ends through its own token instead, which
    /// <see cref="Sessions.UpstreamCalls"/> links to <see cref="UpstreamConnection.Closing"/>). The answer streams as it
    /// does with <c>ResponseHeadersRead</c>.
    /// </summary>
    private readonly HttpMessageInvoker _invoker = new(handler, disposeHandler: false);

    /// <summary>A non-2xx body read for its JSON-RPC error is bounded.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private long _nextId;

    /// <summary>A request id of this session. Strings: the SDK numbers its own requests on the same session, so the two never collide.</summary>
    public string NextId() => "g" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Sends <paramref name="method"/> as request <paramref name="id"/> with <paramref name="paramsUtf8"/> (a valid JSON value, or empty for none).
    /// JSON-RPC errors come back as a failed result; an HTTP failure throws <see cref="UpstreamHttpException"/> (or the
    /// <see cref="HttpRequestException"/> of the transport), as the SDK's transport would fail.
    /// </summary>
    public async Task<UpstreamResult> SendAsync(string id, string method, ReadOnlyMemory<byte> paramsUtf8, string? name, CancellationToken cancellationToken)
    {
        var body = Envelope(id, method, paramsUtf8.Span);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = JsonContentType;
        SetVersion(request);
        // As one unparsed value: the typed collection would parse and keep both media types for every call.
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        AddSessionHeaders(request);
        request.Headers.TryAddWithoutValidation("Mcp-Method", method);
        if (name is not null && IsHeaderSafe(name))
        {
            request.Headers.TryAddWithoutValidation("Mcp-Name", name);
        }

        using var response = await _invoker.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonRpcAnswers.Read(json, id) ?? throw new McpException($"The upstream's answer to {method} is not the response to request {id}.");
        }

        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var resume = new StreamPosition();
            if (await ReadEventsAsync(response, id, resume, cancellationToken) is { } answer)
            {
                return answer;
            }

            // A server may end the answer's stream before the answer (SEP-1699): it is resumed with GET and
            // Last-Event-ID once the server's retry interval has passed, as the SDK's transport does.
            return await ResumeAsync(id, resume, cancellationToken)
                ?? throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The upstream's event stream for {method} ended without its response.");
        }

        throw new McpException($"The upstream answered {method} with the unexpected content type '{mediaType}'.");
    }

    /// <summary>
    /// <c>{"jsonrpc":"2.0","id":"…","method":"…","params":…}</c> in one array of its exact size (a JSON writer over a
    /// growing buffer would allocate a larger one for every call). The id is McpGrains' own (ASCII letters and digits);
    /// the method is escaped as a JSON string; the params are valid JSON already.
    /// </summary>
    internal static byte[] Envelope(string id, string method, ReadOnlySpan<byte> paramsUtf8)
    {
        var encodedMethod = EncodedMethod(method);
        ReadOnlySpan<byte> head = "{\"jsonrpc\":\"2.0\",\"id\":\""u8;
        ReadOnlySpan<byte> methodName = "\",\"method\":\""u8;
        ReadOnlySpan<byte> paramsName = "\",\"params\":"u8;
        ReadOnlySpan<byte> close = "\"}"u8;
        var length = head.Length + id.Length + methodName.Length + encodedMethod.EncodedUtf8Bytes.Length
            + (paramsUtf8.IsEmpty ? close.Length : paramsName.Length + paramsUtf8.Length + 1);
        var body = new byte[length];
        var span = body.AsSpan();
        head.CopyTo(span);
        var at = head.Length;
        at += Encoding.ASCII.GetBytes(id, span[at..]);
        methodName.CopyTo(span[at..]);
        at += methodName.Length;
        encodedMethod.EncodedUtf8Bytes.CopyTo(span[at..]);
        at += encodedMethod.EncodedUtf8Bytes.Length;
        if (paramsUtf8.IsEmpty)
        {
            close.CopyTo(span[at..]);
        }
        else
        {
            paramsName.CopyTo(span[at..]);
            at += paramsName.Length;
            paramsUtf8.CopyTo(span[at..]);
            span[^1] = (byte)'}';
        }

        return body;
    }

    private void SetVersion(HttpRequestMessage request)
    {
        if (http2)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }
    }

    private static readonly Dictionary<string, JsonEncodedText> CommonMethods = new[]
    {
        RequestMethods.ToolsCall, RequestMethods.PromptsGet, RequestMethods.ResourcesRead, RequestMethods.ResourcesList,
        RequestMethods.ResourcesTemplatesList, RequestMethods.PromptsList, RequestMethods.CompletionComplete,
        RequestMethods.ResourcesSubscribe, RequestMethods.ResourcesUnsubscribe, RequestMethods.Ping,
    }.ToDictionary(m => m, m => JsonEncodedText.Encode(m), StringComparer.Ordinal);

    private static JsonEncodedText EncodedMethod(string method) =>
        CommonMethods.TryGetValue(method, out var encoded) ? encoded : JsonEncodedText.Encode(method);

    /// <summary>Attempts to resume an answer's stream that ended early (the SDK's transport makes as many by default).</summary>
    private const int MaxResumeAttempts = 5;

    /// <summary>Used when the server set no retry interval (the SDK's transport default).</summary>
    private static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(1);

    private sealed class StreamPosition
    {
        public string? LastEventId { get; set; }

        public TimeSpan? RetryInterval { get; set; }

        public long EndedAt { get; set; }
    }

    /// <summary>Reads an answer's event stream until the answer; null when the stream ended without it.</summary>
    private async Task<UpstreamResult?> ReadEventsAsync(HttpResponseMessage response, string id, StreamPosition position, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(cancellationToken))
            {
                if (!string.IsNullOrEmpty(item.EventId))
                {
                    position.LastEventId = item.EventId;
                }

                if (item.ReconnectionInterval is { } retry)
                {
                    position.RetryInterval = retry;
                }

                if (item.Data.Length == 0)
                {
                    continue;
                }

                if (JsonRpcAnswers.Read(item.Data, id) is { } answer)
                {
                    return answer;
                }

                Dispatch(item.Data);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && position.LastEventId is not null)
        {
            // A broken stream with a position is resumed like one that ended.
        }

        position.EndedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        return null;
    }

    private async Task<UpstreamResult?> ResumeAsync(string id, StreamPosition position, CancellationToken cancellationToken)
    {
        for (var attempt = 0; position.LastEventId is not null && attempt < MaxResumeAttempts; attempt++)
        {
            var wait = (position.RetryInterval ?? DefaultRetryInterval) - System.Diagnostics.Stopwatch.GetElapsedTime(position.EndedAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
            UpstreamResponseLimitHandler.Apply(request);
            SetVersion(request);
            request.Headers.Accept.Add(EventStream);
            AddSessionHeaders(request);
            request.Headers.TryAddWithoutValidation("Last-Event-ID", position.LastEventId);
            using var response = await _invoker.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                position.EndedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, cancellationToken);
            }

            var before = position.LastEventId;
            if (await ReadEventsAsync(response, id, position, cancellationToken) is { } answer)
            {
                return answer;
            }

            if (position.LastEventId != before)
            {
                // Progress was made: the attempts start over, as the SDK's transport counts them.
                attempt = -1;
            }
        }

        return null;
    }

    /// <summary>Any other message of the answer stream goes where the SDK's read loop takes it; unreadable ones are dropped, as the SDK drops them.</summary>
    private void Dispatch(byte[] data)
    {
        JsonRpcMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(data, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage))) as JsonRpcMessage;
        }
        catch (JsonException)
        {
            return;
        }

        if (message is not null)
        {
            dispatch(message);
        }
    }

    /// <summary>A non-2xx answer: its JSON-RPC error (JSON, or the first message of an event stream), typed.</summary>
    private static async Task<UpstreamHttpException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        UpstreamRpcError? error = null;
        try
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is "application/json" or "text/event-stream" && response.Content.Headers.ContentLength is null or <= MaxErrorBodyBytes)
            {
                var body = await BoundedAsync(response.Content, cancellationToken);
                error = body is null ? null : mediaType == "application/json" ? JsonRpcAnswers.ReadErrorMessage(body) : JsonRpcAnswers.FirstEventError(body);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException)
        {
            // The status alone says what happened.
        }

        return new UpstreamHttpException(response.StatusCode, error);
    }

    private static async Task<byte[]?> BoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxErrorBodyBytes + 1];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += count;
        }

        return read > MaxErrorBodyBytes ? null : buffer[..read];
    }

    /// <summary>The session (when the server keeps one) and the negotiated revision, on every request of this sender.</summary>
    private void AddSessionHeaders(HttpRequestMessage request)
    {
        if (sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
        }

        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocolVersion);
    }

    /// <summary>Visible ASCII only: a value that is not is left out rather than risk a malformed header.</summary>
    private static bool IsHeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                return false;
            }
        }

        return value.Length is > 0 and <= 256;
    }
}
