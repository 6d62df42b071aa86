using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>Refresh: single-flight, rotation, invalid_grant. Time is the fixture's fake clock.</summary>
public sealed class SessionGrainTokenLifecycleTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainTokenLifecycleTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task FiftyConcurrentCalls_OnAnExpiredToken_MakeExactlyOneRefreshRequest()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var before = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken;
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;
        _fixture.Clock.Advance(TimeSpan.FromHours(2));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _fixture.Session(key).GetAccessTokenAsync()));

        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.All(results, r => Assert.Equal(AccessTokenOutcome.Token, r.Outcome));
        var token = Assert.Single(results.Select(r => r.AccessToken).Distinct());
        Assert.NotEqual(before, token);
        Assert.True(_fixture.AuthorizationServer.IsAccessTokenValid(token!, out _));
    }

    [Fact]
    public async Task TokenInsideTheSkew_IsRefreshedBeforeUse()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;

        _fixture.Clock.Advance(TimeSpan.FromMinutes(59.5)); // 30 s left; the default skew is 60 s
        var token = await _fixture.Session(key).GetAccessTokenAsync();

        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        Assert.True(_fixture.AuthorizationServer.IsAccessTokenValid(token.AccessToken!, out _));
    }

    [Fact]
    public async Task RotatedRefreshToken_IsTheOneUsedNextTime()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var reuse = _fixture.AuthorizationServer.RefreshTokenReuseCount;

        for (var i = 0; i < 3; i++)
        {
            _fixture.Clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal(AccessTokenOutcome.Token, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
        }

        // Reusing a rotated refresh token would have revoked the family and failed the second refresh.
        Assert.Equal(reuse, _fixture.AuthorizationServer.RefreshTokenReuseCount);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Fact]
    public async Task InvalidGrant_MovesTheSessionToReauthorizationRequired()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        _fixture.Clock.Advance(TimeSpan.FromHours(2));
        _fixture.AuthorizationServer.InjectTokenError("invalid_grant", "refresh token revoked");

        var result = await _fixture.Session(key).GetAccessTokenAsync();

        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, result.Outcome);
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.ReauthorizationRequired, connection.Status);
        Assert.Equal(SessionErrorCodes.InvalidGrant, connection.LastError!.Code);

        // Authorizing again heals it.
        await _fixture.ConnectAsync(key);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Fact]
    public async Task TransientRefreshFailure_KeepsTheSessionAndRecovers()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        _fixture.Clock.Advance(TimeSpan.FromHours(2));
        _fixture.AuthorizationServer.InjectTokenError("temporarily_unavailable");

        var failed = await _fixture.Session(key).GetAccessTokenAsync();
        var recovered = await _fixture.Session(key).GetAccessTokenAsync();

        Assert.Equal(AccessTokenOutcome.Failed, failed.Outcome);
        Assert.Equal(SessionErrorCodes.RefreshFailed, failed.Error!.Code);
        Assert.Equal(AccessTokenOutcome.Token, recovered.Outcome);
    }
}
