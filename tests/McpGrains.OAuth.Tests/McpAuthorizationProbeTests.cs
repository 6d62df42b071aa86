using System.Text.Json;
using McpGrains.OAuth.Tests.Infrastructure;
using McpGrains.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>
/// What the MCP server says to an unauthenticated probe: whether authorization is required, and the challenge that
/// names its metadata. One loopback server plays the MCP server, the PRM host and the authorization server.
/// </summary>
public sealed class McpAuthorizationProbeTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public McpAuthorizationProbeTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private McpAuthorizationDiscovery Discovery => _services.GetRequiredService<McpAuthorizationDiscovery>();

    private Uri McpUrl => new(_server.Url("/mcp"));

    private string Origin => _server.Url(string.Empty);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task DiscoverAsync_ProbeSucceeds_NoAuthorizationRequired_AndProbeSessionDeleted()
    {
        _server.Map("POST /mcp", context =>
        {
            context.Response.Headers["Mcp-Session-Id"] = "probe-session";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"jsonrpc":"2.0","id":1,"result":{}}""");
        });
        _server.MapStatus("DELETE /mcp", 204);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.False(result.RequiresAuthorization);
        Assert.Null(result.AuthorizationServer);
        Assert.Equal(_server.Url("/mcp"), result.Resource);
        var delete = Assert.Single(_server.Requests, r => r.Method == "DELETE");
        Assert.Equal("probe-session", delete.Header("Mcp-Session-Id"));
    }

    [Fact]
    public async Task DiscoverAsync_ProbeIsInitializeRequestWithStreamableHeaders()
    {
        _server.MapJson("POST /mcp", "{}");

        await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        var probe = Assert.Single(_server.Requests);
        Assert.Equal("POST", probe.Method);
        Assert.Contains("application/json", probe.Header("Accept"), StringComparison.Ordinal);
        Assert.Contains("text/event-stream", probe.Header("Accept"), StringComparison.Ordinal);
        Assert.Equal("application/json", probe.Header("Content-Type"));
        using var body = JsonDocument.Parse(probe.Body);
        Assert.Equal("initialize", body.RootElement.GetProperty("method").GetString());
        Assert.Equal("2025-11-25", body.RootElement.GetProperty("params").GetProperty("protocolVersion").GetString());
        Assert.Equal("McpGrains", body.RootElement.GetProperty("params").GetProperty("clientInfo").GetProperty("name").GetString());
        Assert.Null(probe.Header("Authorization"));
        Assert.Equal("2025-11-25", probe.Header("MCP-Protocol-Version"));
        Assert.Equal("initialize", probe.Header("Mcp-Method"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(406)]
    [InlineData(415)]
    [InlineData(422)]
    public async Task DiscoverAsync_ProbeAnswersOther4xx_NotRequired_NoMetadataFetched(int status)
    {
        _server.MapJson("POST /mcp", """{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Unsupported protocol version"}}""", status);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.False(result.RequiresAuthorization);
        Assert.Null(result.AuthorizationServer);
        Assert.Equal(_server.Url("/mcp"), result.Resource);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
    }

    [Theory]
    [InlineData(404, 404)]
    [InlineData(405, 405)]
    [InlineData(404, 400)]
    [InlineData(405, 200)]
    public async Task DiscoverAsync_PostAndSseGetNot401_NotRequired(int postStatus, int getStatus)
    {
        _server.MapStatus("POST /mcp", postStatus);
        _server.MapStatus("GET /mcp", getStatus);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.False(result.RequiresAuthorization);
        Assert.Equal(["POST /mcp", "GET /mcp"], _server.Requests.Select(r => r.Method + " " + r.Path));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task DiscoverAsync_Probe5xx_UpstreamUnavailable(int status)
    {
        _server.MapStatus("POST /mcp", status);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, ex.ErrorCode);
    }

    [Fact]
    public async Task DiscoverAsync_SseGet5xxAfterPost404_UpstreamUnavailable()
    {
        _server.MapStatus("POST /mcp", 404);
        _server.MapStatus("GET /mcp", 503);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, ex.ErrorCode);
    }

    [Fact]
    public async Task DiscoverAsync_PostNotAllowed_RetriesWithSseGet()
    {
        _server.MapStatus("POST /mcp", 405);
        _server.MapStatus("GET /mcp", 401, "Bearer");
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        var get = Assert.Single(_server.Requests, r => r.Method == "GET" && r.Path == "/mcp");
        Assert.Equal("text/event-stream", get.Header("Accept"));
    }

    [Fact]
    public async Task DiscoverAsync_ChallengeResourceMetadata_IsUsedAndScopeReturned()
    {
        _server.MapStatus("POST /mcp", 401, $"Bearer resource_metadata=\"{_server.Url("/custom/prm")}\", scope=\"files:read files:write\"");
        _server.MapPrm("/custom/prm", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.Equal("files:read files:write", result.ChallengeScope);
        Assert.Equal(Origin, result.AuthorizationServer!.Issuer);
        Assert.Equal(["https://example/unused"], result.ResourceMetadata!.ScopesSupported);
        Assert.DoesNotContain(_server.Requests, r => r.Path.StartsWith("/.well-known/oauth-protected-resource", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_ServerDown_UpstreamUnavailable()
    {
        await using var services = OAuthTestServices.Create();
        var deadUrl = new Uri($"http://127.0.0.1:{FreePorts.Next()}/mcp");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => services.GetRequiredService<McpAuthorizationDiscovery>().DiscoverAsync(deadUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, ex.ErrorCode);
    }

    [Fact]
    public async Task DiscoverAsync_Timeout_UpstreamUnavailable()
    {
        _server.Map("POST /mcp", async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        await using var services = OAuthTestServices.Create(timeout: TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => services.GetRequiredService<McpAuthorizationDiscovery>().DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, ex.ErrorCode);
        Assert.Contains("did not answer in time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_WithoutLoopbackSwitch_RefusesLoopbackMcpUrl()
    {
        _server.MapStatus("POST /mcp", 401, "Bearer");
        await using var services = OAuthTestServices.Create(allowInsecureLoopback: false);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => services.GetRequiredService<McpAuthorizationDiscovery>().DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("refused", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
