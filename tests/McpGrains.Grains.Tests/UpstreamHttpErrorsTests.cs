using System.Text.Json;
using McpGrains.Grains.Upstream;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Client;

namespace McpGrains.Grains.Tests;

/// <summary>
/// The SDK's client reports a non-2xx answer as an <see cref="HttpRequestException"/> whose message carries the body
/// ("Response body: ..."); requests McpGrains still sends through the SDK (legacy SSE, progress, tools/list) are
/// classified by reading it. This pins that format against the SDK version in use: an SDK upgrade that changes it
/// fails here, not in production.
/// </summary>
public sealed class UpstreamHttpErrorsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        _app = LoopbackWebHost.CreateBuilder().Build();
        _app.MapPost("/mcp", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var root = body.RootElement;
            var method = root.GetProperty("method").GetString();
            if (!root.TryGetProperty("id", out var id))
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            }

            context.Response.ContentType = "application/json";
            if (method == "initialize")
            {
                context.Response.Headers["Mcp-Session-Id"] = "session-1";
                await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id.GetRawText()
                    + ",\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"refusing\",\"version\":\"1.0.0\"}}}");
                return;
            }

            // A stateless server's way of saying "not here": HTTP 404 with a JSON-RPC error that is not "Session not found".
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id.GetRawText() + ",\"error\":{\"code\":-32601,\"message\":\"Method not available here\",\"data\":{\"why\":\"pinned\"}}}");
        });
        _endpoint = new Uri(await LoopbackWebHost.StartAsync(_app, CancellationToken.None), "/mcp");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SdkClient_NonSuccessAnswerWithAJsonRpcError_IsReadFromTheExceptionItThrows()
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _endpoint, TransportMode = HttpTransportMode.StreamableHttp });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.ListToolsAsync().AsTask());

        Assert.Equal(System.Net.HttpStatusCode.NotFound, UpstreamFailures.StatusOf(ex));
        Assert.True(UpstreamHttpErrors.TryReadRpcError(ex, out var error), ex.ToString());
        Assert.Equal(-32601, error.Code);
        Assert.Equal("Method not available here", error.Message);
        Assert.Equal("""{"why":"pinned"}""", error.DataJson);
    }
}
