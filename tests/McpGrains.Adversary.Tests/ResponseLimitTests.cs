using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// An upstream answer over <c>McpGrains:Upstream:MaxResponseBytes</c> (64 KiB here; 16 MiB shipped) fails that call
/// with <c>upstream_response_too_large</c>, on REST (502 problem+json) and on <c>/mcp</c> (an error tool result), and
/// only that call: the user's next call goes through the same connection.
/// </summary>
public sealed class ResponseLimitTests(OpenUpstream upstream) : IClassFixture<OpenUpstream>, IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private RunningHost _host = null!;

    public Task InitializeAsync()
    {
        _host = upstream.StartHost(settings => settings["McpGrains:Upstream:MaxResponseBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Rest_AnswerOverTheLimit_Is502UpstreamResponseTooLarge_AndTheNextCallGoesThrough()
    {
        var user = RunningHostConnections.NewUser();

        using (var tooLarge = await _host.CallToolAsync(user, OpenUpstream.ServerId, "echo", new { message = new string('x', Limit * 2) }))
        {
            var problem = await Problems.AssertAsync(tooLarge, HttpStatusCode.BadGateway, "upstream_response_too_large");
            Assert.Contains("McpGrains:Upstream:MaxResponseBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var small = await _host.CallToolAsync(user, OpenUpstream.ServerId, "echo", new { message = "still here" });
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Contains("still here", await small.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var connection = await _host.GetConnectionAsync(user, OpenUpstream.ServerId);
        Assert.Equal("connected", connection.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mcp_AnswerOverTheLimit_IsAnErrorToolResultSayingWhy()
    {
        using var client = _host.Client();
        var user = RunningHostConnections.NewUser();
        var session = await McpWire.OpenSessionAsync(client, OpenUpstream.ServerId, user);

        using var response = await client.SendAsync(McpWire.Post(OpenUpstream.ServerId, user, EchoCall(new string('x', Limit * 2)), session));

        var answer = Assert.Single(await McpWire.ReadMessagesAsync(response));
        var result = answer.GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("McpGrains:Upstream:MaxResponseBytes", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerUnderTheLimit_ComesBackWhole()
    {
        var message = new string('y', Limit / 2);

        using var response = await _host.CallToolAsync(RunningHostConnections.NewUser(), OpenUpstream.ServerId, "echo", new { message });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_AnswerOverTheLimit_ToACallWithProgress_ThroughTheSdksTransport_IsAnErrorToolResult()
    {
        // A call that asks for progress goes upstream through the MCP SDK's transport, not McpGrains' raw path.
        using var client = _host.Client();
        var user = RunningHostConnections.NewUser();
        var session = await McpWire.OpenSessionAsync(client, OpenUpstream.ServerId, user);

        using var response = await client.SendAsync(McpWire.Post(OpenUpstream.ServerId, user, EchoCall(new string('x', Limit * 2), progressToken: "p1"), session));

        var result = (await McpWire.ReadMessagesAsync(response))[^1].GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("McpGrains:Upstream:MaxResponseBytes", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static string EchoCall(string message, string? progressToken = null) => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id = 3,
        method = "tools/call",
        @params = progressToken is null
            ? (object)new { name = "echo", arguments = new { message } }
            : new { name = "echo", arguments = new { message }, _meta = new { progressToken } },
    });
}
