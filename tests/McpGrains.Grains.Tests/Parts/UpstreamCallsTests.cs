using McpGrains.Grains.Sessions;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>
/// A forwarded request through the session's parts, without a cluster: the project's OAuth server and protected MCP
/// server on loopback, a real sign-in, and the refused token settled in the exclusive section.
/// </summary>
public sealed class UpstreamCallsTests : IAsyncLifetime
{
    private TestAuthorizationServer _authorizationServer = null!;
    private ProtectedMcpServer _mcp = null!;
    private SessionHarness _harness = null!;
    private readonly TestBrowser _browser = new();

    public async Task InitializeAsync()
    {
        _authorizationServer = await SessionHarness.StartAuthorizationServerAsync();
        _mcp = await ProtectedMcpServer.StartAsync(_authorizationServer);
        _harness = SessionHarness.Create(
            options => options.Servers[SessionHarness.ServerId].Url = _mcp.McpUri.ToString(),
            ServerAuthorizationResult.Ready(SessionHarness.AuthorizationFor(_authorizationServer, SessionHarness.ClientId, _mcp.Resource)));
        var signedIn = await _harness.SignInAsync(_browser);
        Assert.True(signedIn.Succeeded, signedIn.Error?.Message);
    }

    public async Task DisposeAsync()
    {
        await _harness.Parts.Upstream.CloseAsync("test over");
        _browser.Dispose();
        _harness.Dispose();
        await _mcp.DisposeAsync();
        await _authorizationServer.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_ConnectsOnce_ThenGoesUpstreamWithoutEnteringTheSection()
    {
        var first = await SendAsync();
        Assert.False(_harness.Parts.Exclusive.IsHeld);
        var second = await SendAsync();

        Assert.Equal(UpstreamOutcome.Success, first.Outcome);
        Assert.Equal(UpstreamOutcome.Success, second.Outcome);
        Assert.Equal(1, _harness.Parts.Upstream.ConnectionAttempts);
        Assert.Same(_harness.State.State.Tokens, _harness.Parts.Upstream.ConnectionTokens);
        Assert.Equal(0, _authorizationServer.RefreshRequestCount);
    }

    [Fact]
    public async Task SendAsync_ARefusedToken_IsRefreshedOnceAndTheCallRetried()
    {
        Assert.Equal(UpstreamOutcome.Success, (await SendAsync()).Outcome);
        _authorizationServer.RevokeAccessToken(_harness.Parts.Endpoint.CurrentToken().AccessToken!);

        var retried = await SendAsync();

        Assert.Equal(UpstreamOutcome.Success, retried.Outcome);
        Assert.Equal(1, _authorizationServer.RefreshRequestCount);
        Assert.Equal(ConnectionStatus.Connected, _harness.State.State.Status);
    }

    [Fact]
    public async Task SendAsync_ARefusedTokenWhoseRefreshIsRefused_AsksTheUserToSignIn()
    {
        Assert.Equal(UpstreamOutcome.Success, (await SendAsync()).Outcome);
        _authorizationServer.RevokeAllAccessTokens();
        _authorizationServer.InjectTokenError("invalid_grant");
        var tokenRequests = _authorizationServer.TokenRequestCount;

        var refused = await SendAsync();

        Assert.Equal(UpstreamOutcome.AuthorizationRequired, refused.Outcome);
        Assert.Equal(SessionErrorCodes.InvalidGrant, refused.Error!.Code);
        Assert.StartsWith(SessionHarness.PublicBaseUrl + "/oauth/start/", refused.Authorization!.AuthorizationUrl, StringComparison.Ordinal);
        Assert.Null(_harness.State.State.Tokens);
        Assert.Equal(tokenRequests + 1, _authorizationServer.TokenRequestCount);
    }

    private Task<UpstreamResult> SendAsync() =>
        _harness.Parts.Calls.SendAsync(new UpstreamRequest("tools/list", null), null, CancellationToken.None);
}
