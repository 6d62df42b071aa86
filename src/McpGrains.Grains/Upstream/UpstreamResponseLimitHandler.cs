namespace McpGrains.Grains.Upstream;

/// <summary>
/// Bounds what one upstream answer may make McpGrains read (<c>McpGrains:Upstream:MaxResponseBytes</c>). The response
/// to every POST (a request's JSON body or event stream, whether McpGrains' raw path or the MCP SDK's transport sent
/// it), and any other request marked with <see cref="Apply"/> (the GET that resumes an answer's stream), is bounded in
/// total. A long-lived event stream that carries the server's own messages (the Streamable HTTP GET stream, and the
/// legacy SSE stream, which carries the answers too) never ends by design: it is bounded per event, since one event is
/// what the SSE reader buffers. Any other response is bounded in total. A declared length over the limit fails before
/// the body is read; a declared length within it needs nothing more (HttpClient reads no further); a body without one
/// (chunked: event streams) is read through a counting stream that throws <see cref="UpstreamResponseTooLargeException"/>
/// past the limit.
/// </summary>
internal sealed class UpstreamResponseLimitHandler(long maxBytes) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<bool> Marked = new("McpGrains.UpstreamResponseLimit");

    /// <summary>Marks a request whose response is an answer although it is not a POST.</summary>
    public static void Apply(HttpRequestMessage request) => request.Options.Set(Marked, true);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var answer = request.Method == HttpMethod.Post || (request.Options.TryGetValue(Marked, out var marked) && marked);
        if (!answer && IsEventStream(response.Content))
        {
            response.Content = new LimitedContent(response.Content, maxBytes, perEvent: true);
            return response;
        }

        switch (response.Content.Headers.ContentLength)
        {
            case long declared when declared > maxBytes:
                response.Dispose();
                throw new UpstreamResponseTooLargeException(maxBytes);
            case not null:
                // HttpClient reads no further than a declared length: nothing to count.
                return response;
            default:
                response.Content = new LimitedContent(response.Content, maxBytes, perEvent: false);
                return response;
        }
    }

    private static bool IsEventStream(HttpContent content) =>
        content.Headers.NonValidated.TryGetValues("Content-Type", out var values)
        && values.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>The upstream's content, read through a <see cref="LimitedStream"/>, with its headers.</summary>
    private sealed class LimitedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly long _maxBytes;
        private readonly bool _perEvent;

        public LimitedContent(HttpContent inner, long maxBytes, bool perEvent)
        {
            _inner = inner;
            _maxBytes = maxBytes;
            _perEvent = perEvent;
            // As received, without parsing them (the reader parses what it reads).
            foreach (var (name, values) in inner.Headers.NonValidated)
            {
                if (values.Count == 1)
                {
                    Headers.TryAddWithoutValidation(name, values.ToString());
                }
                else
                {
                    Headers.TryAddWithoutValidation(name, values);
                }
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new LimitedStream(await _inner.ReadAsStreamAsync(cancellationToken), _maxBytes, _perEvent);

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await using var limited = await CreateContentReadStreamAsync(cancellationToken);
            await limited.CopyToAsync(stream, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// A read-only stream that throws once more than its limit has been read: in total, or, for an event stream, since
    /// the last event ended (a blank line; lines end with CRLF, LF or CR).
    /// </summary>
    private sealed class LimitedStream(Stream inner, long maxBytes, bool perEvent) : Stream
    {
        private long _read;
        private long _inEvent;
        private bool _lineEmpty = true;
        private bool _afterCr;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // An async ValueTask method allocates only when the read does not complete at once.
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Count(buffer.Span[..read]);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        private int Count(ReadOnlySpan<byte> read)
        {
            _read += read.Length;
            if (perEvent)
            {
                CountEvents(read);
            }
            else if (_read > maxBytes)
            {
                throw new UpstreamResponseTooLargeException(maxBytes);
            }

            return read.Length;
        }

        private void CountEvents(ReadOnlySpan<byte> read)
        {
            while (!read.IsEmpty)
            {
                var end = read.IndexOfAny((byte)'\r', (byte)'\n');
                if (end < 0)
                {
                    _inEvent += read.Length;
                    _lineEmpty = false;
                    _afterCr = false;
                    break;
                }

                if (end > 0)
                {
                    _lineEmpty = false;
                    _afterCr = false;
                }

                _inEvent += end + 1;
                if (_inEvent > maxBytes)
                {
                    throw new UpstreamResponseTooLargeException(maxBytes);
                }

                if (read[end] == (byte)'\n' && _afterCr)
                {
                    // The LF of a CRLF: the line ended at its CR.
                    _afterCr = false;
                }
                else
                {
                    if (_lineEmpty)
                    {
                        // A blank line ends the event.
                        _inEvent = 0;
                    }

                    _lineEmpty = true;
                    _afterCr = read[end] == (byte)'\r';
                }

                read = read[(end + 1)..];
            }

            if (_inEvent > maxBytes)
            {
                throw new UpstreamResponseTooLargeException(maxBytes);
            }
        }
    }
}
