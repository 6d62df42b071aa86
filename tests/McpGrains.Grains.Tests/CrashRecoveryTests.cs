using McpGrains.Grains.Tests.Cluster;
using Orleans.Runtime;

namespace McpGrains.Grains.Tests;

/// <summary>
/// A crash between the token response and the state write loses the new tokens, never the session: it stays usable
/// through the documented recovery path (sign in again).
/// </summary>
public sealed class CrashRecoveryTests : IClassFixture<CrashInjectionClusterFixture>
{
    private readonly CrashInjectionClusterFixture _fixture;

    public CrashRecoveryTests(CrashInjectionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>Drops every activation so the next call reloads from storage, as after a real crash.</summary>
    private Task ForgetActivationsAsync() =>
        _fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    [Fact]
    public async Task CrashAfterTheCodeExchange_LeavesASessionThatCanAuthorizeAgain()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!);

        CrashInjector.ArmAfterTokenResponse("authorization_code");
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.DeliverCallbackAsync(callback));
        Assert.True(CrashInjector.Fired);
        await ForgetActivationsAsync();

        // The pending flow was consumed before the exchange, so the replayed callback cannot redeem the code twice;
        // the session is not connected and a new authorization completes normally.
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.NotEqual(ConnectionStatus.Connected, connection.Status);
        Assert.Equal(SessionErrorCodes.NoPendingAuthorization, (await _fixture.DeliverCallbackAsync(callback)).Error!.Code);
        await _fixture.ConnectAsync(key);
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Fact]
    public async Task CrashAfterARotatingRefresh_EndsInReauthorizationRequiredThenRecovers()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        _fixture.Clock.Advance(TimeSpan.FromHours(2));

        CrashInjector.ArmAfterTokenResponse("refresh_token");
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Session(key).GetAccessTokenAsync());
        await ForgetActivationsAsync();

        // The stored refresh token is the one the server just rotated away: it is refused (invalid_grant), and the
        // session moves to reauthorization_required instead of failing forever.
        var next = await _fixture.Session(key).GetAccessTokenAsync();
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, next.Outcome);
        Assert.Equal(ConnectionStatus.ReauthorizationRequired, (await _fixture.Session(key).GetConnectionAsync()).Status);

        await _fixture.ConnectAsync(key);
        Assert.Equal(AccessTokenOutcome.Token, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }
}
