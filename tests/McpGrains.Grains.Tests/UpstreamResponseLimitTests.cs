using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using McpGrains.Grains.Upstream;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Grains.Tests;

/// <summary>
/// <c>McpGrains:Upstream:MaxResponseBytes</c> on McpGrains' raw request path, against a loopback server that answers
/// with a result of the size the request names: as JSON with its length declared, as JSON sent in chunks without one,
/// and as an event stream. An answer over the limit fails with <see cref="UpstreamResponseTooLargeException"/> (what
/// the server sent past the limit is not read); one just under it comes back whole. A long-lived GET event stream is
/// bounded per event (it never ends by design): any number of events under the limit are read, one over it fails.
/// </summary>
public sealed class UpstreamResponseLimitTests : IAsyncLifetime
{
    private const long Limit = 64 * 1024;

    private static readonly Dictionary<string, string> Newlines = new() { ["lf"] = "\n", ["crlf"] = "\r\n", ["cr"] = "\r" };

    /// <summary>The SSE line ends, by name: LF, CRLF and CR.</summary>
    public static TheoryData<string> LineEnds => [.. Newlines.Keys];

    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _app = LoopbackWebHost.CreateBuilder().Build();
        _app.MapPost("/{mode}/{size:int}", async (HttpContext context, string mode, int size) =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            var id = request.RootElement.GetProperty("id").GetString();
            var answer = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":"{{{id}}}","result":{"text":"{{{new string('x', size)}}}"}}""");
            switch (mode)
            {
                case "json":
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = answer.Length;
                    await context.Response.Body.WriteAsync(answer);
                    break;
                case "chunked":
                    context.Response.ContentType = "application/json";
                    foreach (var chunk in answer.Chunk(8 * 1024))
                    {
                        await context.Response.Body.WriteAsync(chunk);
                        await context.Response.Body.FlushAsync();
                    }

                    break;
                case "sse":
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"working\"}}\n\n");
                    await context.Response.WriteAsync("data: ");
                    await context.Response.Body.WriteAsync(answer);
                    await context.Response.WriteAsync("\n\n");
                    break;
            }
        });
        _app.MapGet("/stream/{size:int}", (int size) => Results.Text(new string('x', size), "text/plain"));
        _app.MapGet("/events/{count:int}/{size:int}/{newline}", async (HttpContext context, int count, int size, string newline) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(Events(count, size, Newlines[newline]));
        });
        _app.MapGet("/lines/{count:int}", async (HttpContext context, int count) =>
        {
            // One event of many short data lines, never ended by a blank line.
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; i < count; i++)
            {
                await context.Response.WriteAsync("data: 0123456789012345678901234567890123456789\n");
            }
        });
        _base = new Uri(LoopbackWebHost.Format(await LoopbackWebHost.StartAsync(_app, CancellationToken.None)) + "/");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("json")]
    [InlineData("chunked")]
    [InlineData("sse")]
    public async Task AnswerOverTheLimit_FailsNamingTheLimit(string mode)
    {
        var sender = Sender($"{mode}/{Limit + 1024}");

        var refused = await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => SendAsync(sender));

        Assert.Equal(Limit, refused.MaxBytes);
        Assert.Contains("McpGrains:Upstream:MaxResponseBytes", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("chunked")]
    [InlineData("sse")]
    public async Task AnswerJustUnderTheLimit_ComesBackWhole(string mode)
    {
        var size = (int)Limit - 1024;
        var sender = Sender($"{mode}/{size}");

        var result = await SendAsync(sender);

        Assert.Equal(UpstreamOutcome.Success, result.Outcome);
        using var json = JsonDocument.Parse(result.ResultJson!);
        Assert.Equal(size, json.RootElement.GetProperty("text").GetString()!.Length);
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public async Task GetEventStream_EventsEachUnderTheLimit_AreAllRead_HoweverMuchTheyAddUpTo(string newline)
    {
        using var client = LimitedClient();
        const int count = 8;
        var size = (int)Limit - 1024;

        var events = await ReadEventsAsync(client, $"events/{count}/{size}/{newline}");

        Assert.Equal(count, events.Count);
        Assert.All(events, data => Assert.Equal(size, data.Length));
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public async Task GetEventStream_OneEventOverTheLimit_Fails(string newline)
    {
        using var client = LimitedClient();

        var refused = await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => ReadEventsAsync(client, $"events/3/{Limit + 1}/{newline}"));

        Assert.Equal(Limit, refused.MaxBytes);
    }

    [Fact]
    public async Task GetEventStream_OneEventOfManyShortLines_OverTheLimit_Fails()
    {
        using var client = LimitedClient();

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => ReadEventsAsync(client, $"lines/{Limit / 32}"));
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public async Task GetEventStream_ReadOneByteAtATime_CountsEventsAcrossReads(string newline)
    {
        // Every line end and blank line split across reads, CRLF included.
        var size = (int)Limit - 1024;
        using var under = new HttpClient(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new TrickleHandler(Events(4, size, Newlines[newline])) });
        using var over = new HttpClient(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new TrickleHandler(Events(2, (int)Limit + 1, Newlines[newline])) });

        Assert.Equal(4, (await ReadEventsAsync(under, "trickle")).Count);
        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => ReadEventsAsync(over, "trickle"));
    }

    [Fact]
    public async Task GetOtherThanAnEventStream_IsBoundedInTotal()
    {
        using var client = LimitedClient();

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(() => client.GetStringAsync(new Uri(_base, $"stream/{Limit * 2}")));
        Assert.Equal((int)Limit, (await client.GetStringAsync(new Uri(_base, $"stream/{Limit}"))).Length);
    }

    [Fact]
    public async Task MarkedGet_IsBoundedLikeAnAnswer()
    {
        using var client = LimitedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, $"stream/{Limit * 2}"));
        UpstreamResponseLimitHandler.Apply(request);

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(async () =>
        {
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsStringAsync();
        });
    }

    private static HttpClient LimitedClient() => new(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new SocketsHttpHandler() });

    private static byte[] Events(int count, int size, string newline) => Encoding.UTF8.GetBytes(string.Concat(
        Enumerable.Range(0, count).Select(_ => $"event: message{newline}data: {new string('x', size)}{newline}{newline}")));

    private async Task<List<string>> ReadEventsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(_base, path), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var events = new List<string>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        return events;
    }

    private DirectRequestSender Sender(string path) => new(
        new UpstreamResponseLimitHandler(Limit) { InnerHandler = new SocketsHttpHandler() },
        new Uri(_base, path),
        "session-1",
        "2025-11-25",
        _ => { });

    private static Task<UpstreamResult> SendAsync(DirectRequestSender sender) =>
        sender.SendAsync(sender.NextId(), "tools/call", Encoding.UTF8.GetBytes("""{"name":"big"}"""), "big", CancellationToken.None);

    /// <summary>Answers every request with an event stream whose body reads one byte at a time.</summary>
    private sealed class TrickleHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new OneByteAtATime(body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    private sealed class OneByteAtATime(byte[] body) : MemoryStream(body, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(1, count), cancellationToken);
    }
}
