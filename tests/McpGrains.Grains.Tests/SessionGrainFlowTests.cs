using System.Net.Http.Headers;
using System.Web;
using McpGrains.Grains.Tests.Cluster;
using McpGrains.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Tests;

/// <summary>The OAuth flow of a session grain end to end: real loopback HTTP, a 2-silo TestCluster.</summary>
public sealed class SessionGrainFlowTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainFlowTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Authorize_NewUser_ReturnsAShortOpaqueSignInLink_WhoseContinueLeadsToPkceResourceAndScopes()
    {
        var key = SessionClusterFixture.NewKey();

        var result = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));

        Assert.True(result.Outcome == AuthorizeOutcome.AuthorizationRequired, result.Error?.Message);
        var link = result.AuthorizationUrl!;
        Assert.Matches("^" + SessionClusterFixture.PublicBaseUrl + "/oauth/start/[A-Za-z0-9_-]+$", link);
        Assert.DoesNotContain(key.UserId, link, StringComparison.Ordinal);
        Assert.True(link.Length < 200, $"the sign-in link is {link.Length} characters long");
        var url = await _fixture.ContinueAsync(link);
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(_fixture.AuthorizationServer.AuthorizationEndpoint.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"]!.Length);
        Assert.Equal(_fixture.ProtectedServer.Resource, query["resource"]);
        Assert.Equal(_fixture.RedirectUri.ToString(), query["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains("offline_access", query["scope"]!.Split(' '));
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.AuthorizationPending, connection.Status);
    }

    [Fact]
    public async Task FullFlow_DiscoversRegistersOnceExchangesAndTheTokenOpensTheMcpServer()
    {
        var first = SessionClusterFixture.NewKey();
        var second = SessionClusterFixture.NewKey();

        await _fixture.ConnectAsync(first);
        await _fixture.ConnectAsync(second);

        // One registration per server, shared by all users.
        Assert.Equal(1, _fixture.AuthorizationServer.RegistrationCount);
        var connection = await _fixture.Session(first).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.Connected, connection.Status);
        Assert.NotNull(connection.ExpiresAt);
        Assert.Contains("mcp:read", connection.GrantedScopes);
        var token = await _fixture.Session(first).GetAccessTokenAsync();
        Assert.Equal(AccessTokenOutcome.Token, token.Outcome);
        Assert.True(_fixture.AuthorizationServer.IsAccessTokenValid(token.AccessToken!, out var info));
        Assert.Equal(_fixture.ProtectedServer.Resource, info!.Resource);
        Assert.Contains(_fixture.AuthorizationServer.ReceivedResources, r => r.Resource == _fixture.ProtectedServer.Resource);

        // The token opens the protected MCP server: an authenticated MCP request.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = _fixture.ProtectedServer.McpUri, TransportMode = HttpTransportMode.StreamableHttp }, http));
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" });
        Assert.Equal("hi", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    [Fact]
    public async Task Authorize_WhenConnected_AnswersConnectedWithoutANewFlow()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var authorizeRequests = _fixture.AuthorizationServer.AuthorizeRequestCount;

        var again = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));

        Assert.Equal(AuthorizeOutcome.Connected, again.Outcome);
        Assert.Equal(authorizeRequests, _fixture.AuthorizationServer.AuthorizeRequestCount);
    }

    [Fact]
    public async Task OpenServer_IsConnectedWithoutAuthorization()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.OpenServerId);

        var connection = await _fixture.Session(key).GetConnectionAsync();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var token = await _fixture.Session(key).GetAccessTokenAsync();

        Assert.Equal(ConnectionStatus.Connected, connection.Status);
        Assert.Equal(AuthorizeOutcome.Connected, authorize.Outcome);
        Assert.Equal(AccessTokenOutcome.NotRequired, token.Outcome);
    }

    [Fact]
    public async Task Disconnect_RevokesAndForgetsTheTokens()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var token = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken!;
        var revocations = _fixture.AuthorizationServer.RevocationCount;

        await _fixture.Session(key).DisconnectAsync();

        Assert.Equal(revocations + 2, _fixture.AuthorizationServer.RevocationCount);
        Assert.False(_fixture.AuthorizationServer.IsAccessTokenValid(token, out _));
        Assert.Equal(ConnectionStatus.NotConnected, (await _fixture.Session(key).GetConnectionAsync()).Status);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task TwoHostApps_WithTheSameUserId_HaveSeparateConnections()
    {
        var alice = new McpSessionKey("host-a", "alice-" + Guid.NewGuid().ToString("N")[..6], SessionClusterFixture.ProtectedServerId);
        var sameUserOtherHost = new McpSessionKey("host-b", alice.UserId, alice.ServerId);

        await _fixture.ConnectAsync(alice);

        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(alice).GetConnectionAsync()).Status);
        Assert.Equal(ConnectionStatus.NotConnected, (await _fixture.Session(sameUserOtherHost).GetConnectionAsync()).Status);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(sameUserOtherHost).GetAccessTokenAsync()).Outcome);
    }
}
