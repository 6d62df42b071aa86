using System.Web;
using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>Callbacks that must not complete: each ends in a clear outcome and changes no stored tokens.</summary>
public sealed class SessionGrainCallbackSecurityTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainCallbackSecurityTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    private async Task<(McpSessionKey Key, Uri Callback)> BeginAsync(string user = "test-user")
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        Assert.True(authorize.Outcome == AuthorizeOutcome.AuthorizationRequired, authorize.Error?.Message);
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!, user);
        return (key, callback);
    }

    private static Uri WithParameter(Uri callback, string name, string? value)
    {
        var query = HttpUtility.ParseQueryString(callback.Query);
        if (value is null)
        {
            query.Remove(name);
        }
        else
        {
            query[name] = value;
        }

        return new UriBuilder(callback) { Query = query.ToString() }.Uri;
    }

    [Fact]
    public async Task ReplayedCallback_IsRejectedAndKeepsTheTokensOfTheFirst()
    {
        var (key, callback) = await BeginAsync();
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);
        var token = (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken;
        var tokenRequests = _fixture.AuthorizationServer.TokenRequestCount;

        var replay = await _fixture.DeliverCallbackAsync(callback);

        Assert.False(replay.Succeeded);
        Assert.Equal(SessionErrorCodes.NoPendingAuthorization, replay.Error!.Code);
        Assert.Equal(tokenRequests, _fixture.AuthorizationServer.TokenRequestCount);
        Assert.Equal(token, (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken);
    }

    [Fact]
    public void ForgedOrAlteredState_DoesNotOpen()
    {
        var sealedState = _fixture.StateCodec.Protect(new Security.AuthorizationState(SessionClusterFixture.NewKey().Format(), "flow", DateTimeOffset.UtcNow.AddMinutes(5)));
        var altered = sealedState[..^2] + (sealedState[^2] == 'A' ? "B" : "A") + sealedState[^1];
        var otherKeys = new Security.AuthorizationStateCodec(new Security.KeyRing(
            new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"));

        Assert.True(_fixture.StateCodec.TryUnprotect(sealedState, out _));
        Assert.False(_fixture.StateCodec.TryUnprotect(altered, out _));
        Assert.False(_fixture.StateCodec.TryUnprotect("not-a-state", out _));
        Assert.False(otherKeys.TryUnprotect(sealedState, out _));
    }

    [Fact]
    public async Task ExpiredFlow_FailsWithoutTokenRequest()
    {
        var (key, callback) = await BeginAsync();
        var tokenRequests = _fixture.AuthorizationServer.TokenRequestCount;
        _fixture.Clock.Advance(TimeSpan.FromMinutes(11));

        var result = await _fixture.DeliverCallbackAsync(callback);

        Assert.False(result.Succeeded);
        Assert.Equal(SessionErrorCodes.AuthorizationExpired, result.Error!.Code);
        Assert.Equal(tokenRequests, _fixture.AuthorizationServer.TokenRequestCount);
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.Error, connection.Status);
        Assert.Equal(SessionErrorCodes.AuthorizationExpired, connection.LastError!.Code);
    }

    [Fact]
    public async Task WrongIssuer_IsRejectedWithoutTokenRequest()
    {
        var (key, callback) = await BeginAsync();
        var tokenRequests = _fixture.AuthorizationServer.TokenRequestCount;

        var result = await _fixture.DeliverCallbackAsync(WithParameter(callback, "iss", "https://attacker.example.com"));

        Assert.Equal(SessionErrorCodes.IssuerMismatch, result.Error!.Code);
        Assert.Equal(tokenRequests, _fixture.AuthorizationServer.TokenRequestCount);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(key).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task MissingIssuer_WhenAdvertised_IsRejected()
    {
        var (_, callback) = await BeginAsync();

        var result = await _fixture.DeliverCallbackAsync(WithParameter(callback, "iss", null));

        Assert.Equal(SessionErrorCodes.IssuerMismatch, result.Error!.Code);
    }

    [Fact]
    public async Task AccessDenied_IsReportedAsAnOutcome()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest("https://chat.example.com/done"));
        _fixture.AuthorizationServer.InjectAuthorizeError("access_denied", "user said no");
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!);

        var result = await _fixture.DeliverCallbackAsync(callback);

        Assert.False(result.Succeeded);
        Assert.Equal(SessionErrorCodes.AccessDenied, result.Error!.Code);
        Assert.Equal("https://chat.example.com/done", result.ReturnUrl);
        Assert.Equal(ConnectionStatus.Error, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }

    [Fact]
    public async Task StateOfUserB_PresentedToUserA_IsRejectedAndChangesNeitherSession()
    {
        var (alice, aliceCallback) = await BeginAsync("alice");
        var (bob, bobCallback) = await BeginAsync("bob");
        Assert.True(_fixture.StateCodec.TryUnprotect(HttpUtility.ParseQueryString(bobCallback.Query)["state"], out var bobState));
        var aliceQuery = HttpUtility.ParseQueryString(aliceCallback.Query);

        // Bob's state delivered to Alice's grain: refused, Alice's flow stays pending.
        var toAlice = await _fixture.Session(alice).CompleteAuthorizationAsync(
            new AuthorizationCallback(McpSessionKey.Parse(bobState!.SessionKey), bobState.FlowId, aliceQuery["code"], aliceQuery["iss"], null, null));
        // Alice's code carried by Bob's state routes to Bob's grain, whose PKCE verifier does not match: refused.
        var codeSwap = await _fixture.DeliverCallbackAsync(WithParameter(bobCallback, "code", aliceQuery["code"]));

        Assert.Equal(SessionErrorCodes.InvalidState, toAlice.Error!.Code);
        Assert.Equal(SessionErrorCodes.TokenExchangeFailed, codeSwap.Error!.Code);
        Assert.Equal(ConnectionStatus.AuthorizationPending, (await _fixture.Session(alice).GetConnectionAsync()).Status);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(bob).GetAccessTokenAsync()).Outcome);
        Assert.Equal(AccessTokenOutcome.AuthorizationRequired, (await _fixture.Session(alice).GetAccessTokenAsync()).Outcome);
    }

    [Fact]
    public async Task NewerFlow_SupersedesTheOlderLink()
    {
        var key = SessionClusterFixture.NewKey();
        var older = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var olderCallback = await _fixture.SignInAsync(older.AuthorizationUrl!);
        var newer = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var newerCallback = await _fixture.SignInAsync(newer.AuthorizationUrl!);

        var olderResult = await _fixture.DeliverCallbackAsync(olderCallback);
        var newerResult = await _fixture.DeliverCallbackAsync(newerCallback);

        Assert.Equal(SessionErrorCodes.InvalidState, olderResult.Error!.Code);
        Assert.True(newerResult.Succeeded);
    }
}
