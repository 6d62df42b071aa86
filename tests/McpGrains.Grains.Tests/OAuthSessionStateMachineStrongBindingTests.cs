using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests;

/// <summary>
/// The strong binding modes in the state machine: in mode oidc only the named identity acts on a flow; in mode
/// host-verification tokens wait for a confirmation that only the session's user can give in time.
/// </summary>
public sealed class OAuthSessionStateMachineStrongBindingTests
{
    private static readonly McpSessionKey Key = new("host", "alice", "github");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string FlowId = "flow-1";
    private const string ConfirmationId = "confirm-1";

    private static OAuthSessionStateMachine Pending(string binding, string? expectedIdentity = null)
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.BeginAuthorization(
            new PendingAuthorization
            {
                FlowIdHash = OAuthSessionStateMachine.HashFlowId(FlowId),
                ExpectedIssuer = "https://as.example.com",
                CreatedAt = Now,
                ExpiresAt = Now.AddMinutes(10),
                ProtectedSignInLink = [1],
                Binding = binding,
                ExpectedIdentity = expectedIdentity,
                ReturnUrl = "https://chat.example.com/back",
            },
            Now);
        return machine;
    }

    private static OAuthSessionStateMachine AwaitingConfirmation()
    {
        var machine = Pending("host-verification");
        var consumed = machine.State.Pending!;
        machine.State.Pending = null;
        machine.AwaitConfirmation(new TokenSet { ProtectedAccessToken = [7], Issuer = "https://as.example.com" }, consumed, ConfirmationId, Now.AddMinutes(5), Now);
        return machine;
    }

    private static AuthorizationConfirmation Confirm(string userId, string confirmationId = ConfirmationId) => new(Key, confirmationId, userId);

    [Theory]
    [InlineData(null)]
    [InlineData("mallory@example.com")]
    [InlineData("alice@example.org")]
    public void Oidc_AnotherOrNoIdentity_CanNeitherSeeContinueNorCancelTheFlow(string? identity)
    {
        var machine = Pending("oidc", "alice@example.com");

        var located = machine.LocateSignIn(new SignInRequest(Key, FlowId, null, identity), Now, out var pending);
        var claimed = machine.ClaimSignIn(new SignInRequest(Key, FlowId, "b", identity), Now, out _, out var changed);
        var cancelled = machine.CancelSignIn(new SignInRequest(Key, FlowId, "b", identity), Now);

        Assert.Equal(SignInOutcome.IdentityMismatch, located);
        Assert.Null(pending);
        Assert.Equal(SignInOutcome.IdentityMismatch, claimed);
        Assert.False(changed);
        Assert.Equal(SignInOutcome.IdentityMismatch, cancelled);
        Assert.Empty(machine.State.Pending!.BrowserBindingHash);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
    }

    [Fact]
    public void Oidc_TheNamedIdentity_InAnyCase_ContinuesTheFlow()
    {
        var machine = Pending("oidc", "alice@example.com");

        var claimed = machine.ClaimSignIn(new SignInRequest(Key, FlowId, "b", " Alice@Example.com"), Now, out var pending, out var changed);

        Assert.Equal(SignInOutcome.Ready, claimed);
        Assert.NotNull(pending);
        Assert.True(changed);
    }

    [Fact]
    public void Oidc_AFlowForWhichTheHostAppNamedNoIdentity_OpensForNobody()
    {
        var machine = Pending("oidc", expectedIdentity: null);

        Assert.Equal(SignInOutcome.IdentityMismatch, machine.LocateSignIn(new SignInRequest(Key, FlowId, null, "alice@example.com"), Now, out _));
    }

    [Fact]
    public void Browser_IgnoresIdentities()
    {
        var machine = Pending("browser", "alice@example.com");

        Assert.Equal(SignInOutcome.Ready, machine.LocateSignIn(new SignInRequest(Key, FlowId, null, "mallory@example.com"), Now, out _));
    }

    [Fact]
    public void AwaitingConfirmation_HoldsNoUsableTokens()
    {
        var machine = AwaitingConfirmation();

        Assert.False(machine.HasTokens);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
        Assert.Equal(RefreshDecision.AuthorizationRequired, machine.DecideTokenUse(Now, TimeSpan.Zero));
        Assert.NotNull(machine.State.Unconfirmed);
    }

    [Fact]
    public void Confirm_ByTheSessionsUser_BindsTheTokens()
    {
        var machine = AwaitingConfirmation();

        var outcome = machine.Confirm(Confirm("alice"), Now.AddMinutes(1), out var confirmed);

        Assert.Equal(ConfirmationOutcome.Confirmed, outcome);
        Assert.Equal("https://chat.example.com/back", confirmed!.ReturnUrl);
        Assert.Equal(ConnectionStatus.Connected, machine.Status);
        Assert.Equal([7], machine.State.Tokens!.ProtectedAccessToken);
        Assert.Null(machine.State.Unconfirmed);
    }

    [Fact]
    public void Confirm_ByAnotherUser_DiscardsTheTokens()
    {
        var machine = AwaitingConfirmation();

        var outcome = machine.Confirm(Confirm("mallory"), Now.AddMinutes(1), out var discarded);

        Assert.Equal(ConfirmationOutcome.UserMismatch, outcome);
        Assert.Equal([7], discarded!.Tokens.ProtectedAccessToken);
        Assert.Null(machine.State.Unconfirmed);
        Assert.Null(machine.State.Tokens);
        Assert.Equal(ConnectionStatus.Error, machine.Status);
        Assert.Equal(SessionErrorCodes.VerificationUserMismatch, machine.State.LastError!.Code);
    }

    [Fact]
    public void Confirm_OfAnotherFlowOrSession_ChangesNothing()
    {
        var machine = AwaitingConfirmation();

        var otherFlow = machine.Confirm(Confirm("alice", "confirm-2"), Now, out var none);
        var otherSession = machine.Confirm(new AuthorizationConfirmation(new McpSessionKey("host", "mallory", "github"), ConfirmationId, "mallory"), Now, out _);

        Assert.Equal(ConfirmationOutcome.NotPending, otherFlow);
        Assert.Equal(ConfirmationOutcome.NotPending, otherSession);
        Assert.Null(none);
        Assert.NotNull(machine.State.Unconfirmed);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
    }

    [Fact]
    public void Confirm_TooLate_IsExpired_AndTheTimeoutDiscardsOnlyAfterItsTime()
    {
        var late = AwaitingConfirmation();
        var timedOut = AwaitingConfirmation();

        var outcome = late.Confirm(Confirm("alice"), Now.AddMinutes(5), out var discarded);
        var early = timedOut.ExpireUnconfirmed(Now.AddMinutes(4));
        var expired = timedOut.ExpireUnconfirmed(Now.AddMinutes(5));

        Assert.Equal(ConfirmationOutcome.Expired, outcome);
        Assert.NotNull(discarded);
        Assert.Null(late.State.Tokens);
        Assert.Null(early);
        Assert.NotNull(expired);
        Assert.Null(timedOut.State.Unconfirmed);
        Assert.Equal(SessionErrorCodes.VerificationExpired, timedOut.State.LastError!.Code);
    }

    [Fact]
    public void Disconnect_ForgetsTokensAwaitingConfirmation()
    {
        var machine = AwaitingConfirmation();

        machine.Disconnect(Now);

        Assert.Null(machine.State.Unconfirmed);
    }
}
