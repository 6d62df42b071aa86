using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests;

/// <summary>The sign-in link's rules in the state machine: one browser claims a flow, and only it can finish it.</summary>
public sealed class OAuthSessionStateMachineSignInTests
{
    private static readonly McpSessionKey Key = new("host", "alice", "github");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Issuer = "https://as.example.com";
    private const string FlowId = "flow-1";

    private static OAuthSessionStateMachine Pending()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.BeginAuthorization(
            new PendingAuthorization
            {
                FlowIdHash = OAuthSessionStateMachine.HashFlowId(FlowId),
                ExpectedIssuer = Issuer,
                IssParameterSupported = true,
                CreatedAt = Now,
                ExpiresAt = Now.AddMinutes(10),
                ProtectedSignInLink = [1],
                UserLabel = "alice@example.com",
            },
            Now);
        return machine;
    }

    private static SignInRequest Browser(string? binding, string flowId = FlowId) => new(Key, flowId, binding);

    private static AuthorizationCallback Callback(string? binding) => new(Key, FlowId, "code", Issuer, null, null, binding);

    [Fact]
    public void FirstBrowserToContinue_ClaimsTheFlow_TheSameBrowserMayContinueAgain_AnotherIsRefused()
    {
        var machine = Pending();

        var first = machine.ClaimSignIn(Browser("one"), Now, out _, out var firstChanged);
        var again = machine.ClaimSignIn(Browser("one"), Now, out _, out var againChanged);
        var other = machine.ClaimSignIn(Browser("two"), Now, out var otherPending, out var otherChanged);
        var none = machine.LocateSignIn(Browser(null), Now, out _);

        Assert.Equal(SignInOutcome.Ready, first);
        Assert.True(firstChanged);
        Assert.Equal(SignInOutcome.Ready, again);
        Assert.False(againChanged);
        Assert.Equal(SignInOutcome.ClaimedByAnotherBrowser, other);
        Assert.False(otherChanged);
        Assert.Null(otherPending);
        Assert.Equal(SignInOutcome.ClaimedByAnotherBrowser, none);
        Assert.Equal(OAuthSessionStateMachine.HashSecret("one"), machine.State.Pending!.BrowserBindingHash);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("two")]
    public void CallbackFromAnotherBrowser_IsRefusedWithoutConsumingTheFlow(string? binding)
    {
        var machine = Pending();
        machine.ClaimSignIn(Browser("one"), Now, out _, out _);

        var refused = machine.ValidateCallback(Callback(binding), Now);
        var accepted = machine.ValidateCallback(Callback("one"), Now);

        Assert.Equal(SessionErrorCodes.BrowserMismatch, refused.Error!.Code);
        Assert.Contains("started in another browser", refused.Error.Message, StringComparison.Ordinal);
        Assert.False(refused.StateChanged);
        Assert.True(accepted.ShouldExchange);
    }

    [Fact]
    public void CallbackForAFlowNobodyContinued_IsRefusedWithoutConsumingIt()
    {
        var machine = Pending();

        var refused = machine.ValidateCallback(Callback("one"), Now);

        Assert.Equal(SessionErrorCodes.BrowserMismatch, refused.Error!.Code);
        Assert.NotNull(machine.State.Pending);
    }

    [Fact]
    public void CallbackFromAnotherBrowser_AfterExpiry_DoesNotFailTheFlowEither()
    {
        var machine = Pending();
        machine.ClaimSignIn(Browser("one"), Now, out _, out _);

        var refused = machine.ValidateCallback(Callback("two"), Now.AddHours(1));

        Assert.Equal(SessionErrorCodes.BrowserMismatch, refused.Error!.Code);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
    }

    [Fact]
    public void Locate_SaysWhyALinkCannotBeUsed()
    {
        var machine = Pending();

        Assert.Equal(SignInOutcome.Ready, machine.LocateSignIn(Browser(null), Now, out var pending));
        Assert.Equal("alice@example.com", pending!.UserLabel);
        Assert.Equal(SignInOutcome.Expired, machine.LocateSignIn(Browser(null), Now.AddMinutes(10), out _));
        Assert.Equal(SignInOutcome.Superseded, machine.LocateSignIn(Browser(null, "flow-0"), Now, out _));
        Assert.Equal(SignInOutcome.NotPending, machine.LocateSignIn(new SignInRequest(new McpSessionKey("host", "bob", "github"), FlowId, null), Now, out _));
        machine.Disconnect(Now);
        Assert.Equal(SignInOutcome.NotPending, machine.LocateSignIn(Browser(null), Now, out _));
    }

    [Fact]
    public void Cancel_EndsAnUnclaimedFlow_ButNotOneAnotherBrowserClaimed()
    {
        var unclaimed = Pending();
        var claimed = Pending();
        claimed.ClaimSignIn(Browser("one"), Now, out _, out _);

        var cancelled = unclaimed.CancelSignIn(Browser(null), Now);
        var refused = claimed.CancelSignIn(Browser("two"), Now);

        Assert.Equal(SignInOutcome.Ready, cancelled);
        Assert.Null(unclaimed.State.Pending);
        Assert.Equal(ConnectionStatus.NotConnected, unclaimed.Status);
        Assert.Equal(SessionErrorCodes.SignInCancelled, unclaimed.State.LastError!.Code);
        Assert.Equal(SignInOutcome.ClaimedByAnotherBrowser, refused);
        Assert.NotNull(claimed.State.Pending);
    }
}
