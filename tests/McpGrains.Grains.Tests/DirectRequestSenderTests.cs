using System.Net;
using System.Text;
using System.Text.Json;
using McpGrains.Grains.Upstream;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Tests;

/// <summary>
/// McpGrains' raw JSON path for requests of a Streamable HTTP session, against a loopback server that answers the way
/// MCP servers do on the wire: a JSON body, an event stream with other messages before the answer, JSON-RPC errors
/// in 2xx and non-2xx answers. Results must come back byte for byte as the server wrote them.
/// </summary>
public sealed class DirectRequestSenderTests : IAsyncLifetime
{
    // Written as a server might: odd spacing, a number no double holds, escapes. A typed round trip would rewrite it.
    private const string Result = """{ "content":[{"type":"text","text":"caf\u00e9 \"quoted\""}],"structuredContent":{"big":123456789012345678901234567890,"f":1.10} }""";

    private WebApplication _app = null!;
    private Uri _base = null!;
    private readonly List<string> _requests = [];
    private readonly List<string> _headers = [];
    private readonly Dictionary<string, DateTime> _resumeIds = [];

    public async Task InitializeAsync()
    {
        _app = LoopbackWebHost.CreateBuilder().Build();
        _app.MapGet("/resume", async context =>
        {
            lock (_requests)
            {
                _headers.Add($"GET|{context.Request.Headers["Last-Event-ID"]}|{context.Request.Headers["Mcp-Session-Id"]}|{(DateTime.UtcNow - _resumeIds.Values.Single()).TotalMilliseconds >= 250}");
            }

            var id = _resumeIds.Keys.Single();
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"resumed\":true}}\n\n");
        });
        _app.MapPost("/{mode}", async (HttpContext context, string mode) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            lock (_requests)
            {
                _requests.Add(body);
                _headers.Add($"{context.Request.Headers["Mcp-Session-Id"]}|{context.Request.Headers["MCP-Protocol-Version"]}|{context.Request.Headers["Mcp-Method"]}|{context.Request.Headers["Mcp-Name"]}|{context.Request.Headers.Accept}");
            }

            var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
            switch (mode)
            {
                case "json":
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync($$"""{"jsonrpc":"2.0","id":"{{id}}","result":{{Result}}}""");
                    break;
                case "sse":
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync($$$"""
                        event: message
                        data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}

                        data: {"jsonrpc":"2.0","id":"someone-else","result":{}}

                        data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hello"}}

                        data: {"jsonrpc":"2.0","id":"{{{id}}}","result":{{{Result}}}}

                        data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"after"}}


                        """.Replace("\r\n", "\n", StringComparison.Ordinal));
                    break;
                case "rpc-error":
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"error\":{\"code\":-32602,\"message\":\"Unknown tool: nope\",\"data\":{\"tool\":\"nope\",\"n\":[1,2]}}}");
                    break;
                case "gone":
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}""");
                    break;
                case "refused-sse":
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32602,\"message\":\"Missing capability\"}}\n\n");
                    break;
                case "broken":
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html>bad gateway</html>");
                    break;
                case "resume":
                    // The answer's stream ends early with a position and a retry interval (SEP-1699).
                    lock (_requests)
                    {
                        _resumeIds[id!] = DateTime.UtcNow;
                    }

                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("id: e1\nretry: 300\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"before\"}}\n\n");
                    break;
                case "no-answer":
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n");
                    break;
            }
        });
        _base = new Uri(LoopbackWebHost.Format(await LoopbackWebHost.StartAsync(_app, CancellationToken.None)) + "/");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private (DirectRequestSender Sender, List<JsonRpcMessage> Dispatched) Sender(string mode)
    {
        var dispatched = new List<JsonRpcMessage>();
        return (new DirectRequestSender(new SocketsHttpHandler(), new Uri(_base, mode), "session-1", "2025-11-25", dispatched.Add), dispatched);
    }

    private static ReadOnlyMemory<byte> Params(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task JsonAnswer_ResultComesBackAsTheServerWroteIt_ParamsGoAsTheClientWroteThem()
    {
        var (sender, _) = Sender("json");
        const string parameters = """{"name":"echo","arguments":{"n":123456789012345678901234567890, "s":"\u00e9"}}""";

        var result = await sender.SendAsync(sender.NextId(), "tools/call", Params(parameters), "echo", CancellationToken.None);

        Assert.Equal(UpstreamOutcome.Success, result.Outcome);
        Assert.Equal(Result, result.ResultJson);
        var sent = JsonDocument.Parse(_requests.Single()).RootElement;
        Assert.Equal("2.0", sent.GetProperty("jsonrpc").GetString());
        Assert.Equal("tools/call", sent.GetProperty("method").GetString());
        Assert.Equal(parameters, sent.GetProperty("params").GetRawText());
        Assert.Equal("session-1|2025-11-25|tools/call|echo|application/json, text/event-stream", _headers.Single());
    }

    [Fact]
    public async Task EventStreamAnswer_OtherMessagesBeforeTheAnswerAreDispatchedInOrder_TheAnswerEndsTheCall()
    {
        var (sender, dispatched) = Sender("sse");

        var result = await sender.SendAsync(sender.NextId(), "tools/call", Params("""{"name":"echo"}"""), "echo", CancellationToken.None);

        Assert.Equal(Result, result.ResultJson);
        Assert.Collection(
            dispatched,
            message => Assert.Equal("notifications/progress", Assert.IsType<JsonRpcNotification>(message).Method),
            message => Assert.Equal("someone-else", Assert.IsType<JsonRpcResponse>(message).Id.ToString()),
            message => Assert.Equal("notifications/message", Assert.IsType<JsonRpcNotification>(message).Method));
    }

    [Fact]
    public async Task JsonRpcError_IsAFailedResultWithTheServersCodeMessageAndData()
    {
        var (sender, _) = Sender("rpc-error");

        var result = await sender.SendAsync(sender.NextId(), "tools/call", Params("""{"name":"nope"}"""), "nope", CancellationToken.None);

        Assert.Equal(UpstreamOutcome.RpcError, result.Outcome);
        Assert.Equal(-32602, result.RpcError!.Code);
        Assert.Equal("Unknown tool: nope", result.RpcError.Message);
        Assert.Equal("""{"tool":"nope","n":[1,2]}""", result.RpcError.DataJson);
    }

    [Theory]
    [InlineData("gone", HttpStatusCode.NotFound, -32001)]
    [InlineData("refused-sse", HttpStatusCode.BadRequest, -32602)]
    [InlineData("broken", HttpStatusCode.BadGateway, null)]
    public async Task NonSuccessAnswer_ThrowsTheStatusWithTheBodysJsonRpcErrorTyped(string mode, HttpStatusCode status, int? code)
    {
        var (sender, _) = Sender(mode);

        var ex = await Assert.ThrowsAsync<UpstreamHttpException>(() => sender.SendAsync(sender.NextId(), "tools/list", default, null, CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(code, ex.RpcError?.Code);
        Assert.Equal(code is not null, UpstreamHttpErrors.TryReadRpcError(ex, out var read));
        Assert.Equal(code, read?.Code);
    }

    [Fact]
    public async Task EventStreamEndingEarlyWithAPosition_IsResumedWithGetAndLastEventId_AfterTheRetryInterval()
    {
        var (sender, dispatched) = Sender("resume");

        var result = await sender.SendAsync(sender.NextId(), "tools/call", Params("""{"name":"slow"}"""), "slow", CancellationToken.None);

        Assert.Equal("""{"resumed":true}""", result.ResultJson);
        Assert.Equal("notifications/message", Assert.IsType<JsonRpcNotification>(Assert.Single(dispatched)).Method);
        Assert.Equal("GET|e1|session-1|True", _headers[^1]);
    }

    [Fact]
    public async Task EventStreamEndingWithoutTheAnswer_FailsAsATransportError()
    {
        var (sender, dispatched) = Sender("no-answer");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(sender.NextId(), "tools/list", default, null, CancellationToken.None));

        Assert.Equal(HttpRequestError.ResponseEnded, ex.HttpRequestError);
        Assert.Single(dispatched);
    }

    [Fact]
    public void RequestIds_AreStringsThatNeverRepeat()
    {
        var (sender, _) = Sender("json");

        var ids = Enumerable.Range(0, 100).Select(_ => sender.NextId()).ToHashSet();

        Assert.Equal(100, ids.Count);
        Assert.All(ids, id => Assert.False(long.TryParse(id, out _)));
    }

    [Theory]
    [InlineData("tools/call", """{"name":"echo","arguments":{"text":"caf\u00e9"}}""")]
    [InlineData("tools/call", "")]
    [InlineData("vendor/\"quoted\"\u00e9\n", "[1, 2]")]
    public void Envelope_IsTheJsonRpcRequestWithTheParamsBytesAsTheyCame(string method, string parameters)
    {
        var body = DirectRequestSender.Envelope("g42", method, Encoding.UTF8.GetBytes(parameters));

        using var request = JsonDocument.Parse(body);
        var root = request.RootElement;
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        Assert.Equal("g42", root.GetProperty("id").GetString());
        Assert.Equal(method, root.GetProperty("method").GetString());
        if (parameters.Length == 0)
        {
            Assert.False(root.TryGetProperty("params", out _));
        }
        else
        {
            Assert.Equal(parameters, root.GetProperty("params").GetRawText());
        }
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("""{"a":[1,2,{"b":null}]}""", true)]
    [InlineData("  []  ", true)]
    [InlineData("{", false)]
    [InlineData("{} {}", false)]
    [InlineData("{'a':1}", false)]
    [InlineData("", false)]
    public void RawJson_AcceptsExactlyOneJsonValue(string json, bool valid) => Assert.Equal(valid, RawJson.IsValid(json));
}
