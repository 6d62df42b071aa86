using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class ProtectedMcpServerTests
{
    private static async Task<McpClient> ConnectAsync(Uri endpoint, string? accessToken, string? protocolVersion = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = endpoint };
        if (accessToken is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken };
        }

        var clientOptions = protocolVersion is null ? null : new McpClientOptions { ProtocolVersion = protocolVersion };
        return await McpClient.CreateAsync(new HttpClientTransport(options), clientOptions);
    }

    private static string TextOf(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    [Fact]
    public async Task McpClient_WithValidToken_ListsToolsAndCallsEchoAndWhoami()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(TokenObtainer.OptionsWithGatewayClient());
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer);
        var token = await TokenObtainer.ObtainAccessTokenAsync(authorizationServer, mcp.Resource, "alice");

        await using var client = await ConnectAsync(mcp.McpUri, token);
        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello upstream" });
        var whoami = await client.CallToolAsync("whoami");

        Assert.Equal(["echo", "gather", "whoami"], tools.Select(t => t.Name).Order());
        Assert.Equal("hello upstream", TextOf(echo));
        Assert.Equal("alice", TextOf(whoami));
        Assert.True(mcp.AuthenticatedRequestCount >= 3);
        Assert.True(mcp.SessionsInitialized >= 1, string.Join(", ", mcp.ReceivedMethods));
        Assert.Equal(2, mcp.ReceivedMethods.Count(m => m == "tools/call"));
        Assert.Equal(2, mcp.ToolCallCount);
        Assert.Equal(0, mcp.UnauthorizedRequestCount);
    }

    [Fact]
    public async Task Request_WithoutToken_Gets401WithResourceMetadataChallenge()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync();
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer);
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(mcp.McpUri, new { jsonrpc = "2.0", id = 1, method = "tools/list" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        var origin = mcp.BaseUri.GetLeftPart(UriPartial.Authority);
        Assert.Equal($"resource_metadata=\"{origin}/.well-known/oauth-protected-resource/mcp\"", challenge.Parameter);
        Assert.Equal(1, mcp.UnauthorizedRequestCount);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(mcp.McpUri, accessToken: null));
    }

    [Fact]
    public async Task ProtectedResourceMetadata_NamesTheMcpUrlAndTheIssuer()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { IssuerPath = "/tenant1" });
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer);
        using var http = new HttpClient();

        var metadata = await http.GetFromJsonAsync<JsonElement>(mcp.ResourceMetadataUri);
        var root = await http.GetAsync(mcp.RootResourceMetadataUri);

        Assert.Equal(mcp.BaseUri.GetLeftPart(UriPartial.Authority) + "/mcp", metadata.GetProperty("resource").GetString());
        Assert.Equal([authorizationServer.Issuer], metadata.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["mcp:read", "mcp:write", "offline_access"], metadata.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
    }

    [Fact]
    public async Task ChallengeOptions_AddScope_OmitMetadata_AndServeRootMetadata()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync();
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer, new ProtectedMcpServerOptions
        {
            ChallengeScope = "mcp:read",
            OmitResourceMetadataInChallenge = true,
            ServeRootMetadata = true,
        });
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(mcp.McpUri, new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        var root = await http.GetFromJsonAsync<JsonElement>(mcp.RootResourceMetadataUri);

        Assert.Equal("scope=\"mcp:read\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
        Assert.Equal(mcp.Resource, root.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task TokenForAnotherResource_Gets401InvalidToken()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(TokenObtainer.OptionsWithGatewayClient());
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer);
        var token = await TokenObtainer.ObtainAccessTokenAsync(authorizationServer, "http://other.example/mcp");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, mcp.McpUri) { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }) };
        request.Headers.Authorization = new("Bearer", token);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithoutRequiredScope_Gets403InsufficientScope()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(TokenObtainer.OptionsWithGatewayClient());
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer, new ProtectedMcpServerOptions { RequiredScopes = ["mcp:write"] });
        var token = await TokenObtainer.ObtainAccessTokenAsync(authorizationServer, mcp.Resource, scope: "mcp:read");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, mcp.McpUri) { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }) };
        request.Headers.Authorization = new("Bearer", token);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var parameter = Assert.Single(response.Headers.WwwAuthenticate).Parameter;
        Assert.Contains("error=\"insufficient_scope\"", parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:write\"", parameter, StringComparison.Ordinal);
        Assert.Equal(1, mcp.ForbiddenRequestCount);
    }

    [Fact]
    public async Task ExpiredToken_IsRejected_AfterWorkingBefore()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(TokenObtainer.OptionsWithGatewayClient());
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer);
        var token = await TokenObtainer.ObtainAccessTokenAsync(authorizationServer, mcp.Resource);
        await using (var client = await ConnectAsync(mcp.McpUri, token))
        {
            Assert.NotEmpty(await client.ListToolsAsync());
        }

        authorizationServer.ExpireAllAccessTokens();

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(mcp.McpUri, token));
        Assert.True(mcp.UnauthorizedRequestCount >= 1);
    }

    [Fact]
    public async Task StatefulServer_WithOlderProtocolClient_InitializesASession()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(TokenObtainer.OptionsWithGatewayClient());
        await using var mcp = await ProtectedMcpServer.StartAsync(authorizationServer, new ProtectedMcpServerOptions { Stateful = true });
        var token = await TokenObtainer.ObtainAccessTokenAsync(authorizationServer, mcp.Resource, "dave");

        await using var client = await ConnectAsync(mcp.McpUri, token, "2025-11-25");
        var whoami = await client.CallToolAsync("whoami");

        Assert.Equal("dave", TextOf(whoami));
        Assert.Equal("2025-11-25", client.NegotiatedProtocolVersion);
        Assert.Equal("initialize", mcp.ReceivedMethods[0]);
        Assert.Equal(1, mcp.SessionsInitialized);
        Assert.False(string.IsNullOrEmpty(client.SessionId));
    }

    [Fact]
    public async Task UnprotectedServer_AnswersWithoutToken()
    {
        await using var mcp = await ProtectedMcpServer.StartUnprotectedAsync();

        await using var client = await ConnectAsync(mcp.McpUri, accessToken: null);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "open" });

        Assert.Equal("open", TextOf(echo));
        Assert.Equal("anonymous", TextOf(await client.CallToolAsync("whoami")));
    }
}
