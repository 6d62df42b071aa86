using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>Sign-in links through the session grain: what the confirmation page learns, and who may finish a flow.</summary>
public sealed class SessionGrainSignInTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainSignInTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Describe_NamesTheLabelTheProviderHostAndTheExpiry_AndRevealsNoUrl()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null, "alice@example.com"));
        var (_, flow) = _fixture.OpenTicket(authorize.AuthorizationUrl!);

        var description = await _fixture.Session(key).DescribeSignInAsync(new SignInRequest(key, flow.FlowId, null));

        Assert.Equal(SignInOutcome.Ready, description.Outcome);
        Assert.Equal("alice@example.com", description.UserLabel);
        Assert.Equal(_fixture.AuthorizationServer.AuthorizationEndpoint.Authority, description.ProviderHost);
        Assert.Equal(flow.ExpiresAt, description.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TheLabelOfAnMcpRequest_IsWhatItsSignInLinkNames()
    {
        var key = SessionClusterFixture.NewKey();

        var result = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/list", null, "bob@example.com"));
        var (_, flow) = _fixture.OpenTicket(result.Authorization!.AuthorizationUrl);
        var description = await _fixture.Session(key).DescribeSignInAsync(new SignInRequest(key, flow.FlowId, null));

        Assert.Equal("bob@example.com", description.UserLabel);
    }

    [Fact]
    public async Task CallbackFromAnotherBrowser_IsRefusedWithoutATokenRequest_AndTheContinuingBrowserFinishes()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!, "mallory");
        var tokenRequests = _fixture.AuthorizationServer.TokenRequestCount;

        var stranger = await _fixture.DeliverCallbackAsync(callback, browserBinding: "another-browser");

        Assert.Equal(SessionErrorCodes.BrowserMismatch, stranger.Error!.Code);
        Assert.Null(stranger.ReturnUrl);
        Assert.Equal(tokenRequests, _fixture.AuthorizationServer.TokenRequestCount);
        Assert.Equal(ConnectionStatus.AuthorizationPending, (await _fixture.Session(key).GetConnectionAsync()).Status);
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);
    }

    [Fact]
    public async Task SecondBrowser_CannotContinueOrCancel_AClaimedFlow()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        await _fixture.ContinueAsync(authorize.AuthorizationUrl!, browserBinding: "first");
        var (_, flow) = _fixture.OpenTicket(authorize.AuthorizationUrl!);
        var second = new SignInRequest(key, flow.FlowId, "second");

        var continued = await _fixture.Session(key).ContinueSignInAsync(second);
        var cancelled = await _fixture.Session(key).CancelSignInAsync(second);
        var again = await _fixture.Session(key).ContinueSignInAsync(second with { BrowserBinding = "first" });

        Assert.Equal(SignInOutcome.ClaimedByAnotherBrowser, continued.Outcome);
        Assert.Null(continued.AuthorizationUrl);
        Assert.Equal(SignInOutcome.ClaimedByAnotherBrowser, cancelled);
        Assert.Equal(SignInOutcome.Ready, again.Outcome);
        Assert.StartsWith(_fixture.AuthorizationServer.AuthorizationEndpoint.ToString(), again.AuthorizationUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewLink_SupersedesTheOlder_AndAnExpiredOneSaysSo()
    {
        var key = SessionClusterFixture.NewKey();
        var older = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var newer = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var (_, olderFlow) = _fixture.OpenTicket(older.AuthorizationUrl!);
        var (_, newerFlow) = _fixture.OpenTicket(newer.AuthorizationUrl!);

        var superseded = await _fixture.Session(key).ContinueSignInAsync(new SignInRequest(key, olderFlow.FlowId, "b"));
        _fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await _fixture.Session(key).DescribeSignInAsync(new SignInRequest(key, newerFlow.FlowId, null));

        Assert.Equal(SignInOutcome.Superseded, superseded.Outcome);
        Assert.Equal(SignInOutcome.Expired, expired.Outcome);
    }
}
