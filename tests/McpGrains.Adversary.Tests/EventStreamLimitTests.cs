using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// On the legacy HTTP+SSE transport the answers come on the long-lived event stream, which never ends: there
/// <c>McpGrains:Upstream:MaxResponseBytes</c> (64 KiB here) bounds each event. Against server-everything from npm in
/// SSE mode, an echo whose answer is one event over the limit fails that call instead of being read whole, and the
/// user's next call goes through (the stream that was cut is reopened).
/// </summary>
public sealed class EventStreamLimitTests : IAsyncLifetime
{
    private const string ServerId = "everything-sse";
    private const int Limit = 64 * 1024;

    private EverythingServer _upstream = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EverythingServer.StartAsync("sse");
        _host = RunningHost.Start(settings =>
        {
            settings[$"McpGrains:Servers:{ServerId}:Url"] = _upstream.Endpoint.ToString();
            settings[$"McpGrains:Servers:{ServerId}:Transport"] = "sse";
            settings["McpGrains:Upstream:MaxResponseBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task LegacySse_AnswerOverTheLimit_FailsThatCall_AndTheNextCallGoesThrough()
    {
        var user = RunningHostConnections.NewUser();
        using (var first = await _host.CallToolAsync(user, ServerId, "echo", new { message = "before" }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var large = new string('x', Limit * 2);
        using (var tooLarge = await _host.CallToolAsync(user, ServerId, "echo", new { message = large }))
        {
            var problem = await Problems.AssertAsync(tooLarge, HttpStatusCode.BadGateway, "upstream_response_too_large");
            Assert.Contains("McpGrains:Upstream:MaxResponseBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var after = await _host.CallToolAsync(user, ServerId, "echo", new { message = "after" });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("after", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetRawText(), StringComparison.Ordinal);
    }
}
