using McpGrains.Grains.Sessions;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>The access token's life after a real sign-in: use, refresh, rejection and the proactive tick, on a fake clock.</summary>
public sealed class SessionTokensTests : IAsyncLifetime
{
    private TestAuthorizationServer _server = null!;
    private SessionHarness _harness = null!;
    private readonly TestBrowser _browser = new();

    private ServerAuthorization Authorization => _harness.ServerGrain.Authorization.Authorization!;

    public async Task InitializeAsync()
    {
        _server = await SessionHarness.StartAuthorizationServerAsync();
        _harness = SessionHarness.Create(server: ServerAuthorizationResult.Ready(SessionHarness.AuthorizationFor(_server, SessionHarness.ClientId, "https://mcp.example.com/mcp")));
        var signedIn = await _harness.SignInAsync(_browser);
        Assert.True(signedIn.Succeeded, signedIn.Error?.Message);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        _harness.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetCurrentAsync_WhileTheTokenIsCurrent_AsksTheAuthorizationServerNothing()
    {
        var writes = _harness.State.Writes;

        var token = await _harness.Parts.Tokens.GetCurrentAsync(Authorization, CancellationToken.None);

        Assert.Equal(AccessTokenOutcome.Token, token.Outcome);
        Assert.True(_server.IsAccessTokenValid(token.AccessToken!, out _));
        Assert.Equal(0, _server.RefreshRequestCount);
        Assert.Equal(writes, _harness.State.Writes);
    }

    [Fact]
    public async Task GetCurrentAsync_WhenDue_RefreshesOnce_AndStoresTheRotatedRefreshTokenBeforeAnswering()
    {
        var before = _harness.State.State.Tokens!;
        var writes = _harness.State.Writes;
        _harness.Time.Advance(TimeSpan.FromMinutes(59.5));

        var token = await _harness.Parts.Tokens.GetCurrentAsync(Authorization, CancellationToken.None);
        var again = await _harness.Parts.Tokens.GetCurrentAsync(Authorization, CancellationToken.None);

        Assert.Equal(AccessTokenOutcome.Token, token.Outcome);
        Assert.Equal(token.AccessToken, again.AccessToken);
        Assert.Equal(1, _server.RefreshRequestCount);
        Assert.Equal(writes + 1, _harness.State.Writes);
        var after = _harness.State.State.Tokens!;
        Assert.NotSame(before, after);
        Assert.NotEqual(before.ProtectedRefreshToken, after.ProtectedRefreshToken);
        Assert.True(_server.IsAccessTokenValid(token.AccessToken!, out _));
    }

    [Fact]
    public async Task GetCurrentAsync_ARefusedRefreshToken_RequiresSignInAndEndsTheProactiveRefresh()
    {
        _server.InjectTokenError("invalid_grant");
        _harness.Time.Advance(TimeSpan.FromMinutes(59.5));

        var token = await _harness.Parts.Tokens.GetCurrentAsync(Authorization, CancellationToken.None);

        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, token.Outcome);
        Assert.Equal(ConnectionStatus.ReauthorizationRequired, _harness.State.State.Status);
        Assert.Null(_harness.State.State.Tokens);
        Assert.Equal(SessionErrorCodes.InvalidGrant, _harness.State.State.LastError!.Code);
        Assert.DoesNotContain(ProactiveRefreshSchedule.ReminderName, _harness.Reminders.Registered.Keys);
    }

    [Fact]
    public async Task RefreshProactivelyAsync_RefreshesOnlyATokenThatWouldBeDueBeforeTheNextTick()
    {
        var interval = _harness.Options.Authorization.ProactiveRefreshInterval;

        await _harness.Parts.Tokens.RefreshProactivelyAsync(CancellationToken.None);
        Assert.Equal(0, _server.RefreshRequestCount);

        _harness.Time.Advance(TimeSpan.FromMinutes(59) - interval);
        await _harness.Parts.Tokens.RefreshProactivelyAsync(CancellationToken.None);

        Assert.Equal(1, _server.RefreshRequestCount);
        Assert.Equal(ConnectionStatus.Connected, _harness.State.State.Status);
    }

    [Fact]
    public async Task DisconnectAsync_RevokesTheTokens_AndForgetsTheStateAndTheDataKey()
    {
        var accessToken = _harness.Parts.Endpoint.CurrentToken().AccessToken!;

        await _harness.Parts.Connector.DisconnectAsync(CancellationToken.None);

        Assert.Equal(2, _server.RevocationCount);
        Assert.False(_server.IsAccessTokenValid(accessToken, out _));
        Assert.Equal(ConnectionStatus.NotConnected, _harness.State.State.Status);
        Assert.Null(_harness.State.State.Tokens);
        Assert.Equal(1, _harness.State.Clears);
        Assert.Equal(1, _harness.DataKey.Clears);
        Assert.Empty(_harness.Reminders.Registered);
    }
}
