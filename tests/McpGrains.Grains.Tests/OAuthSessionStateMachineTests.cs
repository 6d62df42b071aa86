using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests;

public sealed class OAuthSessionStateMachineTests
{
    private static readonly McpSessionKey Key = new("host", "alice", "github");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Issuer = "https://as.example.com";

    /// <summary>The binding secret of the browser that pressed Continue (these flows are claimed by it).</summary>
    private const string Browser = "browser-1";

    private static (OAuthSessionStateMachine Machine, PendingAuthorization Pending) Pending(bool issSupported = true, string flowId = "flow-1")
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        var pending = new PendingAuthorization
        {
            FlowIdHash = OAuthSessionStateMachine.HashFlowId(flowId),
            ProtectedCodeVerifier = [1, 2, 3],
            ExpectedIssuer = Issuer,
            IssParameterSupported = issSupported,
            RedirectUri = "https://gw.example.com/oauth/callback",
            Resource = "https://mcp.example.com/mcp",
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(10),
            ReturnUrl = "https://chat.example.com/",
            ClientId = "client",
            BrowserBindingHash = OAuthSessionStateMachine.HashSecret(Browser),
        };
        machine.BeginAuthorization(pending, Now);
        return (machine, pending);
    }

    private static AuthorizationCallback Callback(string flowId = "flow-1", string? code = "code", string? iss = Issuer, string? error = null, McpSessionKey? key = null) =>
        new(key ?? Key, flowId, code, iss, error, null, Browser);

    private static TokenSet Tokens(DateTimeOffset? expiresAt, bool refresh = true, DateTimeOffset? obtainedAt = null) => new()
    {
        ProtectedAccessToken = [9],
        ProtectedRefreshToken = refresh ? [8] : null,
        ExpiresAt = expiresAt,
        Issuer = Issuer,
        ClientId = "client",
        Resource = "https://mcp.example.com/mcp",
        ObtainedAt = obtainedAt ?? Now,
    };

    [Fact]
    public void BeginAuthorization_FromNotConnected_IsPending()
    {
        var (machine, _) = Pending();

        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
        Assert.NotNull(machine.State.Pending);
    }

    [Fact]
    public void ValidateCallback_Valid_ExchangesAndConsumesThePendingFlow()
    {
        var (machine, pending) = Pending();

        var decision = machine.ValidateCallback(Callback(), Now.AddMinutes(1));

        Assert.True(decision.ShouldExchange);
        Assert.Same(pending, decision.Pending);
        Assert.Null(machine.State.Pending);
    }

    [Fact]
    public void ValidateCallback_Replayed_IsRejectedWithoutChangingState()
    {
        var (machine, _) = Pending();
        machine.ValidateCallback(Callback(), Now);
        machine.ApplyTokens(Tokens(Now.AddHours(1)), Now);

        var replay = machine.ValidateCallback(Callback(), Now);

        Assert.False(replay.ShouldExchange);
        Assert.False(replay.StateChanged);
        Assert.Equal(SessionErrorCodes.NoPendingAuthorization, replay.Error!.Code);
        Assert.Equal(ConnectionStatus.Connected, machine.Status);
    }

    [Fact]
    public void ValidateCallback_StateOfAnotherSession_IsRejectedAndKeepsThePendingFlow()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(Callback(key: new McpSessionKey("host", "bob", "github")), Now);

        Assert.False(decision.ShouldExchange);
        Assert.Equal(SessionErrorCodes.InvalidState, decision.Error!.Code);
        Assert.NotNull(machine.State.Pending);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);
    }

    [Fact]
    public void ValidateCallback_SupersededFlowId_IsRejectedAndTheNewFlowStaysValid()
    {
        var (machine, _) = Pending(flowId: "new-flow");

        var old = machine.ValidateCallback(Callback(flowId: "old-flow"), Now);
        var current = machine.ValidateCallback(Callback(flowId: "new-flow"), Now);

        Assert.Equal(SessionErrorCodes.InvalidState, old.Error!.Code);
        Assert.True(current.ShouldExchange);
    }

    [Fact]
    public void ValidateCallback_Expired_FailsAndConsumes()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(Callback(), Now.AddMinutes(10));

        Assert.Equal(SessionErrorCodes.AuthorizationExpired, decision.Error!.Code);
        Assert.Null(machine.State.Pending);
        Assert.Equal(ConnectionStatus.Error, machine.Status);
        Assert.Equal(SessionErrorCodes.AuthorizationExpired, machine.State.LastError!.Code);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, "https://evil.example.com")]
    [InlineData(false, "https://evil.example.com")]
    [InlineData(true, "https://AS.example.com")]
    public void ValidateCallback_IssuerMissingOrWrong_FailsWithIssuerMismatch(bool advertised, string? iss)
    {
        var (machine, _) = Pending(issSupported: advertised);

        var decision = machine.ValidateCallback(Callback(iss: iss), Now);

        Assert.False(decision.ShouldExchange);
        Assert.Equal(SessionErrorCodes.IssuerMismatch, decision.Error!.Code);
    }

    [Fact]
    public void ValidateCallback_IssuerNotAdvertisedAndAbsent_IsAccepted()
    {
        var (machine, _) = Pending(issSupported: false);

        Assert.True(machine.ValidateCallback(Callback(iss: null), Now).ShouldExchange);
    }

    [Fact]
    public void ValidateCallback_WrongIssuerWithError_DoesNotReportTheForeignError()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(Callback(iss: "https://evil.example.com", error: "access_denied", code: null), Now);

        Assert.Equal(SessionErrorCodes.IssuerMismatch, decision.Error!.Code);
    }

    [Fact]
    public void ValidateCallback_AccessDenied_IsAnOutcome()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(Callback(code: null, error: "access_denied"), Now);

        Assert.Equal(SessionErrorCodes.AccessDenied, decision.Error!.Code);
        Assert.Equal(ConnectionStatus.Error, machine.Status);
    }

    [Fact]
    public void ValidateCallback_OtherError_CarriesASanitizedDescription()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(new AuthorizationCallback(Key, "flow-1", null, Issuer, "temporarily_unavailable", "try\nlater", Browser), Now);

        Assert.Equal(SessionErrorCodes.AuthorizationServerError, decision.Error!.Code);
        Assert.Contains("temporarily_unavailable", decision.Error.Message);
        Assert.DoesNotContain("\n", decision.Error.Message);
    }

    [Fact]
    public void ValidateCallback_ErrorTextThatIsNoCode_IsBoundedAndOnOneLine()
    {
        var (machine, _) = Pending();

        var decision = machine.ValidateCallback(new AuthorizationCallback(Key, "flow-1", null, Issuer, "server_error\r\nFORGED " + new string('e', 500), "why\r\n" + new string('d', 5000), Browser), Now);

        Assert.Equal(SessionErrorCodes.AuthorizationServerError, decision.Error!.Code);
        Assert.Contains("'invalid_response'", decision.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FORGED", decision.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(decision.Error.Message, char.IsControl);
        Assert.True(decision.Error.Message.Length < 300, decision.Error.Message);
    }

    [Fact]
    public void ServerRefused_DropsTokensAndPendingFlow_AndStaysInError()
    {
        var (machine, _) = Pending();
        machine.ApplyTokens(Tokens(Now.AddHours(1)), Now);
        var error = new SessionError(SessionErrorCodes.IssuerChanged, "moved");

        machine.ApplyServerRefused(error, Now);

        Assert.Equal(ConnectionStatus.Error, machine.Status);
        Assert.Null(machine.State.Tokens);
        Assert.Null(machine.State.Pending);
        Assert.Equal(error, machine.State.LastError);
        Assert.Equal(RefreshDecision.AuthorizationRequired, machine.DecideTokenUse(Now, TimeSpan.Zero));
    }

    [Fact]
    public void FailedFlow_WhileConnected_KeepsTheConnection()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now.AddHours(1)), Now);
        machine.BeginAuthorization(new PendingAuthorization { FlowIdHash = OAuthSessionStateMachine.HashFlowId("f"), ExpectedIssuer = Issuer, ExpiresAt = Now.AddMinutes(10) }, Now);

        machine.ValidateCallback(Callback(flowId: "f", code: null, error: "access_denied"), Now);

        Assert.Equal(ConnectionStatus.Connected, machine.Status);
        Assert.NotNull(machine.State.Tokens);
    }

    [Theory]
    [InlineData(30, true, RefreshDecision.UseCurrent)]
    [InlineData(0.5, true, RefreshDecision.Refresh)]
    [InlineData(-5, true, RefreshDecision.Refresh)]
    [InlineData(0.5, false, RefreshDecision.UseCurrent)]
    [InlineData(-5, false, RefreshDecision.AuthorizationRequired)]
    public void DecideTokenUse_FollowsExpiryAndSkew(double minutesLeft, bool hasRefreshToken, RefreshDecision expected)
    {
        // A token obtained an hour ago: its lifetime is far longer than the skew, which alone decides.
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now.AddMinutes(minutesLeft), hasRefreshToken, obtainedAt: Now.AddHours(-1)), Now);

        Assert.Equal(expected, machine.DecideTokenUse(Now, TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(20, 14.9, RefreshDecision.UseCurrent)]
    [InlineData(20, 15, RefreshDecision.Refresh)]
    [InlineData(5, 3.7, RefreshDecision.UseCurrent)]
    [InlineData(5, 3.75, RefreshDecision.Refresh)]
    [InlineData(60, 44.9, RefreshDecision.UseCurrent)]
    [InlineData(60, 45, RefreshDecision.Refresh)]
    [InlineData(3600, 3539, RefreshDecision.UseCurrent)]
    [InlineData(3600, 3540, RefreshDecision.Refresh)]
    public void DecideTokenUse_KeepsAtMostAQuarterOfTheLifetimeInReserve(int lifetimeSeconds, double secondsLater, RefreshDecision expected)
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now.AddSeconds(lifetimeSeconds)), Now);

        Assert.Equal(expected, machine.DecideTokenUse(Now.AddSeconds(secondsLater), TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(3600, 54, true)]
    [InlineData(3600, 53, false)]
    [InlineData(20, 0, false)]
    [InlineData(20, 60, false)]
    [InlineData(600, 4, true)]
    [InlineData(600, 3, false)]
    public void ShouldRefreshBefore_OnlyWhenTheNextTickWouldFindTheTokenDueAndARefreshCanBridgeIt(int lifetimeSeconds, int minutesLater, bool expected)
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now.AddSeconds(lifetimeSeconds)), Now);
        var now = Now.AddMinutes(minutesLater);

        Assert.Equal(expected, machine.ShouldRefreshBefore(now, now.AddMinutes(5), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void RejectedTokenWithoutExpiry_IsRefreshed()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(expiresAt: null), Now);
        Assert.Equal(RefreshDecision.UseCurrent, machine.DecideTokenUse(Now.AddDays(30), TimeSpan.FromMinutes(1)));

        machine.ApplyAccessTokenRejected(Now.AddDays(30));

        Assert.Equal(RefreshDecision.Refresh, machine.DecideTokenUse(Now.AddDays(30), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void DecideTokenUse_WithoutExpiry_UsesTheCurrentToken()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(expiresAt: null), Now);

        Assert.Equal(RefreshDecision.UseCurrent, machine.DecideTokenUse(Now.AddYears(1), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void ApplyRefreshRejected_DropsTokensAndRequiresReauthorization()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now), Now);

        machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "x"), Now);

        Assert.Equal(ConnectionStatus.ReauthorizationRequired, machine.Status);
        Assert.Null(machine.State.Tokens);
        Assert.Equal(RefreshDecision.AuthorizationRequired, machine.DecideTokenUse(Now, TimeSpan.Zero));
    }

    [Fact]
    public void BeginAuthorization_AfterReauthorizationRequired_ReturnsThereWhenTheFlowFails()
    {
        var machine = new OAuthSessionStateMachine(Key, new McpSessionState());
        machine.ApplyTokens(Tokens(Now), Now);
        machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "x"), Now);
        machine.BeginAuthorization(new PendingAuthorization { FlowIdHash = OAuthSessionStateMachine.HashFlowId("f"), ExpectedIssuer = Issuer, ExpiresAt = Now.AddMinutes(10), BrowserBindingHash = OAuthSessionStateMachine.HashSecret(Browser) }, Now);
        Assert.Equal(ConnectionStatus.AuthorizationPending, machine.Status);

        machine.ValidateCallback(new AuthorizationCallback(Key, "f", "code", Issuer, null, null, Browser), Now);

        Assert.Equal(ConnectionStatus.ReauthorizationRequired, machine.Status);
    }

    [Fact]
    public void Disconnect_ForgetsEverything()
    {
        var (machine, _) = Pending();
        machine.ApplyTokens(Tokens(Now.AddHours(1)), Now);

        machine.Disconnect(Now);

        Assert.Equal(ConnectionStatus.NotConnected, machine.Status);
        Assert.Null(machine.State.Tokens);
        Assert.Null(machine.State.Pending);
    }
}
