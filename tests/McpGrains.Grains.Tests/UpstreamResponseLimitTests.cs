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
/// the server sent past the limit is not read); one just under it comes back whole.
/// </summary>
public sealed class UpstreamResponseLimitTests : IAsyncLifetime
{
    private const long Limit = 64 * 1024;

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

    [Fact]
    public async Task LongLivedGetStream_IsNotAnAnswer_AndIsNotBounded()
    {
        using var client = new HttpClient(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new SocketsHttpHandler() });

        var body = await client.GetStringAsync(new Uri(_base, $"stream/{Limit * 2}"));

        Assert.Equal(Limit * 2, body.Length);
    }

    [Fact]
    public async Task MarkedGet_IsBoundedLikeAnAnswer()
    {
        using var client = new HttpClient(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new SocketsHttpHandler() });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, $"stream/{Limit * 2}"));
        UpstreamResponseLimitHandler.Apply(request);

        await Assert.ThrowsAsync<UpstreamResponseTooLargeException>(async () =>
        {
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsStringAsync();
        });
    }

    private DirectRequestSender Sender(string path) => new(
        new HttpClient(new UpstreamResponseLimitHandler(Limit) { InnerHandler = new SocketsHttpHandler() }),
        new Uri(_base, path),
        "session-1",
        "2025-11-25",
        _ => { });

    private static Task<UpstreamResult> SendAsync(DirectRequestSender sender) =>
        sender.SendAsync(sender.NextId(), "tools/call", Encoding.UTF8.GetBytes("""{"name":"big"}"""), "big", CancellationToken.None);
}
