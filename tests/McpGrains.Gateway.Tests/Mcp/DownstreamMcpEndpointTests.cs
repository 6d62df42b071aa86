using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary><c>/mcp/{serverId}</c> with the C# SDK client: proxying, authentication of the host app and binding of sessions.</summary>
[Collection(McpEndpointCollection.Name)]
public sealed class DownstreamMcpEndpointTests(McpEndpointFixture fixture)
{
    private static readonly object InitializeBody = new
    {
        jsonrpc = "2.0",
        id = 1,
        method = "initialize",
        @params = new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "raw", version = "1" } },
    };

    [Fact]
    public async Task OpenServer_ListsAndCallsEcho()
    {
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.OpenServerId, McpEndpointFixture.NewUser());

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello through the grain" });

        Assert.Equal(["echo", "gather", "whoami"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("hello through the grain", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task OpenServer_ServesClientsOfThe20260728Revision()
    {
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.OpenServerId, McpEndpointFixture.NewUser(), protocolVersion: null);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stateless" });

        Assert.Equal("stateless", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task MissingUserHeader_Is400ProblemJson()
    {
        using var http = fixture.CreateRawClient(McpEndpointFixture.HostKey, userId: null);

        using var response = await http.PostAsJsonAsync("/mcp/" + McpEndpointFixture.OpenServerId, InitializeBody);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("missing_user_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadHostKey_Is401WithoutBearerChallenge()
    {
        using var http = fixture.CreateRawClient("not-a-key", McpEndpointFixture.NewUser());

        using var response = await http.PostAsJsonAsync("/mcp/" + McpEndpointFixture.OpenServerId, InitializeBody);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task UnknownServer_Is404()
    {
        using var http = fixture.CreateRawClient(McpEndpointFixture.HostKey, McpEndpointFixture.NewUser());

        using var response = await http.PostAsJsonAsync("/mcp/no-such-server", InitializeBody);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Session_RefusesAnotherUserOrHostApp()
    {
        using var owner = fixture.CreateRawClient(McpEndpointFixture.HostKey, "alice");
        using var initialize = await owner.PostAsJsonAsync("/mcp/" + McpEndpointFixture.OpenServerId, InitializeBody);
        Assert.Equal(HttpStatusCode.OK, initialize.StatusCode);
        var sessionId = Assert.Single(initialize.Headers.GetValues("Mcp-Session-Id"));

        using var otherUser = fixture.CreateRawClient(McpEndpointFixture.HostKey, "mallory");
        using var otherApp = fixture.CreateRawClient(TestConfiguration.AppTwoKey, "alice");
        var list = new { jsonrpc = "2.0", id = 2, method = "tools/list" };

        using var byOtherUser = await SendInSessionAsync(otherUser, sessionId, list);
        using var byOtherApp = await SendInSessionAsync(otherApp, sessionId, list);

        Assert.Equal(HttpStatusCode.Forbidden, byOtherUser.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOtherApp.StatusCode);
    }

    [Fact]
    public async Task BrowserOriginOfAnotherSite_Is403_AndNothingStarts()
    {
        using var http = fixture.CreateRawClient(McpEndpointFixture.HostKey, McpEndpointFixture.NewUser());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/" + McpEndpointFixture.OpenServerId) { Content = JsonContent.Create(InitializeBody) };
        request.Headers.Add("Origin", "http://evil.example.com");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("origin_not_allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        using var http = fixture.CreateRawClient(McpEndpointFixture.HostKey, McpEndpointFixture.NewUser());
        var padding = new string('x', (int)new McpGrains.Configuration.LimitsOptions().MaxRequestBodyBytes);

        using var response = await http.PostAsync("/mcp/" + McpEndpointFixture.OpenServerId, new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"p\":\"" + padding + "\"}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("request_body_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonReplies_CarryTheirContentLength_NotAChunkedBody()
    {
        using var owner = fixture.CreateRawClient(McpEndpointFixture.HostKey, McpEndpointFixture.NewUser());
        using var initialize = await owner.PostAsJsonAsync("/mcp/" + McpEndpointFixture.OpenServerId, InitializeBody);
        var sessionId = Assert.Single(initialize.Headers.GetValues("Mcp-Session-Id"));
        using var pong = await SendInSessionAsync(owner, sessionId, new { jsonrpc = "2.0", id = "p\u00e9", method = "ping" });
        using var refused = await SendInSessionAsync(owner, sessionId, new { jsonrpc = "2.0", id = 3, method = "initialize", @params = new { protocolVersion = "2025-11-25" } });

        foreach (var (response, status) in new[] { (initialize, HttpStatusCode.OK), (pong, HttpStatusCode.OK), (refused, HttpStatusCode.BadRequest) })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            using var json = System.Text.Json.JsonDocument.Parse(body);
            Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
        }
    }

    [Fact]
    public async Task DeletedSession_Answers404_AndAnUnknownIdToo()
    {
        using var owner = fixture.CreateRawClient(McpEndpointFixture.HostKey, "alice");
        using var initialize = await owner.PostAsJsonAsync("/mcp/" + McpEndpointFixture.OpenServerId, InitializeBody);
        var sessionId = Assert.Single(initialize.Headers.GetValues("Mcp-Session-Id"));
        var ping = new { jsonrpc = "2.0", id = 2, method = "ping" };
        using (var alive = await SendInSessionAsync(owner, sessionId, ping))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/mcp/" + McpEndpointFixture.OpenServerId);
        delete.Headers.Add("Mcp-Session-Id", sessionId);
        using (var deleted = await owner.SendAsync(delete))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var afterDelete = await SendInSessionAsync(owner, sessionId, ping);
        using var unknown = await SendInSessionAsync(owner, McpGrains.Downstream.DownstreamSessionIds.Create(), ping);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static Task<HttpResponseMessage> SendInSessionAsync(HttpClient http, string sessionId, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/" + McpEndpointFixture.OpenServerId)
        {
            Content = JsonContent.Create(body, options: JsonSerializerOptions.Web),
        };
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return http.SendAsync(request);
    }
}
