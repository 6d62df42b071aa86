using McpGrains.Grains.Tests.Cluster;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Grains.Tests;

/// <summary>
/// The strong binding modes through the session grain: tokens that wait for the host app's confirmation (mode
/// host-verification) and sign-in links that only the identity the host app named may continue (mode oidc).
/// </summary>
public sealed class SessionGrainStrongBindingTests : IClassFixture<HostVerificationClusterFixture>
{
    private readonly HostVerificationClusterFixture _fixture;

    public SessionGrainStrongBindingTests(HostVerificationClusterFixture fixture)
    {
        _fixture = fixture;
    }

    private static McpSessionKey NewKey() => SessionClusterFixture.NewKey(tenant: HostVerificationClusterFixture.Tenant);

    /// <summary>Authorize, continue, the provider and the callback: the callback's answer (tokens awaiting confirmation).</summary>
    private async Task<CallbackResult> SignInAsync(McpSessionKey key, string user = TestAuthorizationServer.DefaultUser)
    {
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!, user);
        var result = await _fixture.DeliverCallbackAsync(callback);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.NotNull(result.VerificationFlowId);
        return result;
    }

    private AuthorizationConfirmation Confirmation(CallbackResult result, string userId)
    {
        Assert.True(_fixture.VerificationFlowCodec.TryUnprotect(result.VerificationFlowId, out var flow), "the flow id did not open");
        return new AuthorizationConfirmation(McpSessionKey.Parse(flow!.SessionKey), flow.FlowId, userId);
    }

    [Fact]
    public async Task Callback_LeavesTheTokensUnusableUntilTheHostAppConfirms_ThenTheSessionIsConnected()
    {
        var key = NewKey();
        var result = await SignInAsync(key);

        var before = await _fixture.Session(key).GetAccessTokenAsync();
        var status = await _fixture.Session(key).GetConnectionAsync();
        var confirmed = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId));
        var after = await _fixture.Session(key).GetAccessTokenAsync();

        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, before.Outcome);
        Assert.Null(before.AccessToken);
        Assert.Equal(ConnectionStatus.AuthorizationPending, status.Status);
        Assert.Equal(ConfirmationOutcome.Confirmed, confirmed.Outcome);
        Assert.Equal(AccessTokenOutcome.Token, after.Outcome);
        Assert.True(_fixture.AuthorizationServer.IsAccessTokenValid(after.AccessToken!, out _));
    }

    [Fact]
    public async Task ConfirmationForAnotherUser_DiscardsAndRevokesTheTokens_AndAReplayChangesNothing()
    {
        var key = NewKey();
        var result = await SignInAsync(key, user: "mallory");
        var revocations = _fixture.AuthorizationServer.RevocationCount;

        var refused = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, "someone-else"));
        var replay = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId));

        Assert.Equal(ConfirmationOutcome.UserMismatch, refused.Outcome);
        Assert.Equal(revocations + 2, _fixture.AuthorizationServer.RevocationCount);
        Assert.Equal(ConfirmationOutcome.NotPending, replay.Outcome);
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.Error, connection.Status);
        Assert.Equal(SessionErrorCodes.VerificationUserMismatch, connection.LastError!.Code);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task ReplayedConfirmation_AfterTheFlowWasConfirmed_ChangesNothing_EvenForAnotherUser()
    {
        var key = NewKey();
        var result = await SignInAsync(key);
        await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId));
        var revocations = _fixture.AuthorizationServer.RevocationCount;

        var again = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId));
        var other = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, "mallory"));

        Assert.Equal(ConfirmationOutcome.NotPending, again.Outcome);
        Assert.Equal(ConfirmationOutcome.NotPending, other.Outcome);
        Assert.Equal(revocations, _fixture.AuthorizationServer.RevocationCount);
        Assert.Equal(AccessTokenOutcome.Token, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task Timeout_DiscardsAndRevokesTheTokens_ThroughTheReminder_WithoutAnyCall()
    {
        var key = NewKey();
        var result = await SignInAsync(key);
        var grainId = GrainId.Create("mcpsession", key.Format());
        var reminders = _fixture.Cluster.GetSiloServiceProvider(_fixture.Cluster.Primary!.SiloAddress).GetRequiredService<IReminderTable>();
        Assert.Contains((await reminders.ReadRows(grainId)).Reminders, r => r.ReminderName == "verification-timeout");
        var revocations = _fixture.AuthorizationServer.RevocationCount;

        // A tick before the time is up changes nothing; the one after it discards and revokes.
        await _fixture.Session(key).AsReference<IRemindable>().ReceiveReminder("verification-timeout", default);
        Assert.Equal(revocations, _fixture.AuthorizationServer.RevocationCount);
        _fixture.Clock.Advance(HostVerificationClusterFixture.Timeout + TimeSpan.FromSeconds(1));
        await _fixture.Session(key).AsReference<IRemindable>().ReceiveReminder("verification-timeout", default);

        Assert.Equal(revocations + 2, _fixture.AuthorizationServer.RevocationCount);
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(SessionErrorCodes.VerificationExpired, connection.LastError!.Code);
        Assert.DoesNotContain((await reminders.ReadRows(grainId)).Reminders, r => r.ReminderName == "verification-timeout");
        Assert.Equal(ConfirmationOutcome.NotPending, (await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId))).Outcome);
    }

    [Fact]
    public async Task LateConfirmation_IsNeverBound_WhetherItComesBeforeOrAfterTheReminderFires()
    {
        var key = NewKey();
        var result = await SignInAsync(key);
        var revocations = _fixture.AuthorizationServer.RevocationCount;
        _fixture.Clock.Advance(HostVerificationClusterFixture.Timeout);

        // A reminder tick and this call are serialized by the grain (in these tests the reminder service runs on real
        // time, so the tick rarely comes first): the confirmation is refused as expired (it came first) or finds nothing.
        var late = await _fixture.Session(key).ConfirmAuthorizationAsync(Confirmation(result, key.UserId));

        Assert.Contains(late.Outcome, new[] { ConfirmationOutcome.Expired, ConfirmationOutcome.NotPending });
        Assert.Equal(revocations + 2, _fixture.AuthorizationServer.RevocationCount);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task OidcMode_TheSignInLink_OpensOnlyForTheIdentityTheHostAppNamed()
    {
        var key = SessionClusterFixture.NewKey(tenant: HostVerificationClusterFixture.OidcTenant);
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null, "Alice", "alice@example.com"));
        var (_, flow) = _fixture.OpenTicket(authorize.AuthorizationUrl!);

        var nobody = await _fixture.Session(key).DescribeSignInAsync(new SignInRequest(key, flow.FlowId, null));
        var mallory = await _fixture.Session(key).ContinueSignInAsync(new SignInRequest(key, flow.FlowId, "b1", "mallory@example.com"));
        var cancel = await _fixture.Session(key).CancelSignInAsync(new SignInRequest(key, flow.FlowId, null, "mallory@example.com"));
        var alice = await _fixture.Session(key).ContinueSignInAsync(new SignInRequest(key, flow.FlowId, "b2", "ALICE@example.com"));

        Assert.Equal(SignInOutcome.IdentityMismatch, nobody.Outcome);
        Assert.Equal("alice@example.com", nobody.ExpectedIdentity);
        Assert.Equal(SignInOutcome.IdentityMismatch, mallory.Outcome);
        Assert.Null(mallory.AuthorizationUrl);
        Assert.Equal(SignInOutcome.IdentityMismatch, cancel);
        Assert.Equal(SignInOutcome.Ready, alice.Outcome);
        Assert.StartsWith(_fixture.AuthorizationServer.AuthorizationEndpoint.ToString(), alice.AuthorizationUrl, StringComparison.Ordinal);
    }
}
