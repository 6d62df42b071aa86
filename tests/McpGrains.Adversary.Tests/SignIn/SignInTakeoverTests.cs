using System.Net;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// Issue 10, finding 1: a sign-in link handed to another person must not move that person's upstream account into the
/// requester's session (nor the requester's into theirs), within a host app or across host apps. Each test plays both
/// people's browsers against a running host over real HTTP.
/// </summary>
public sealed class SignInTakeoverTests : IClassFixture<SignInTestBed>
{
    private readonly SignInTestBed _bed;

    public SignInTakeoverTests(SignInTestBed bed)
    {
        _bed = bed;
    }

    [Fact]
    public async Task LinkSentToAnotherUser_OpensAConfirmationPageNamingTheAccountItWouldConnect()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        var link = await _bed.AuthorizeAsync(mallory, userLabel: "mallory@example.com");
        var authorizeRequests = _bed.AuthorizationServer.AuthorizeRequestCount;
        using var browser = new TestBrowser();

        var page = await browser.OpenAsync(link, alice);

        Assert.StartsWith(new Uri(_bed.Host.BaseAddress, "/oauth/start/").ToString(), link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("mallory@example.com", page.Text, StringComparison.Ordinal);
        Assert.Contains(SignInTestBed.HostADisplayName, page.Text, StringComparison.Ordinal);
        Assert.Contains(SignInTestBed.ServerDisplayName, page.Text, StringComparison.Ordinal);
        Assert.Contains(new Uri(_bed.AuthorizationServer.Issuer).Authority, page.Text, StringComparison.Ordinal);
        Assert.Equal(["continue", "cancel"], page.Buttons);
        // Opening the link sends nobody to the provider: only Continue does.
        Assert.Equal(authorizeRequests, _bed.AuthorizationServer.AuthorizeRequestCount);
    }

    [Fact]
    public async Task ProviderUrlForwardedByTheRequester_IsRefusedInTheVictimsBrowser_AndTheRequesterCanStillFinish()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(mallory);
        var authorizationUrl = await _bed.ContinueAsync(browser, link, mallory);

        // Mallory sends the provider URL to Alice, who is signed in at the provider.
        var victim = await _bed.FinishAtProviderAsync(browser, authorizationUrl, alice);

        Assert.Equal(HttpStatusCode.Conflict, victim.Status);
        Assert.Equal("This sign-in was started in another browser", victim.Heading);
        Assert.Null(await _bed.WhoAmIAsync(mallory));

        // Refused without consuming the flow: the browser that pressed Continue still finishes it.
        var own = await _bed.FinishAtProviderAsync(browser, authorizationUrl, mallory);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(mallory, await _bed.WhoAmIAsync(mallory));
    }

    [Fact]
    public async Task LeakedProviderUrl_CompletedInTheAttackersBrowser_DoesNotPutTheAttackersAccountIntoTheVictimsSession()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);
        var authorizationUrl = await _bed.ContinueAsync(browser, link, alice);

        var attacker = await _bed.FinishAtProviderAsync(browser, authorizationUrl, mallory);

        Assert.Equal(HttpStatusCode.Conflict, attacker.Status);
        Assert.Null(await _bed.WhoAmIAsync(alice));
        var own = await _bed.FinishAtProviderAsync(browser, authorizationUrl, alice);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
    }

    [Fact]
    public async Task SecondBrowserToPressContinue_IsRefused_TheFirstClaimsTheFlow()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);
        var malloryPage = await browser.OpenAsync(link, mallory);
        Assert.Equal(HttpStatusCode.OK, malloryPage.Status);
        await browser.ContinueAsync(link, alice);

        using var late = await browser.SubmitAsync(malloryPage, "continue", mallory);
        var reopened = await browser.OpenAsync(link, mallory);
        var again = await browser.ContinueAsync(link, alice);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Null(late.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, reopened.Status);
        Assert.Equal("This sign-in was continued in another browser", reopened.Heading);
        Assert.Null(reopened.FormAction);
        // The browser that claimed the flow may press Continue again (a reload, a second try).
        Assert.Equal(_bed.AuthorizationServer.AuthorizationEndpoint.GetLeftPart(UriPartial.Path), again.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public async Task AcrossHostApps_AHostAUsersLink_CannotBeCompletedByAHostBUser()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(mallory, RunningHost.HostAKey, userLabel: "mallory@a.example");

        var page = await browser.OpenAsync(link, alice);
        var authorizationUrl = await _bed.ContinueAsync(browser, link, mallory);
        var victim = await _bed.FinishAtProviderAsync(browser, authorizationUrl, alice);

        Assert.Equal(HttpStatusCode.Conflict, victim.Status);
        Assert.Null(await _bed.WhoAmIAsync(mallory, RunningHost.HostAKey));
        Assert.Null(await _bed.WhoAmIAsync(alice, RunningHost.HostBKey));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(SignInTestBed.HostADisplayName, page.Text, StringComparison.Ordinal);
        Assert.Contains("mallory@a.example", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Continue_WithoutAMatchingAntiforgeryToken_IsRefusedAndClaimsNothing()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);
        var page = await browser.OpenAsync(link, alice);
        Assert.Equal(HttpStatusCode.OK, page.Status);

        // A cross-site form post: the page's token without the browser's anti-forgery cookie, and no token at all.
        using var foreign = await browser.SubmitAsync(page, "continue", mallory);
        using var bare = new HttpClient();
        using var tokenless = await bare.PostAsync(page.FormAction, new FormUrlEncodedContent([new("action", "continue")]));

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Null(foreign.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, tokenless.StatusCode);
        Assert.Equal("text/html", tokenless.Content.Headers.ContentType?.MediaType);
        // Nothing was claimed: Alice's own browser continues.
        Assert.Equal(_bed.AuthorizationServer.AuthorizationEndpoint.GetLeftPart(UriPartial.Path), (await browser.ContinueAsync(link, alice)).GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public async Task Cancel_OnTheConfirmationPage_EndsTheFlowForEveryone()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(mallory, userLabel: "mallory@example.com");
        var page = await browser.OpenAsync(link, alice);

        using var cancelled = await browser.SubmitAsync(page, "cancel", alice);
        var afterwards = await browser.OpenAsync(link, mallory);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Sign-in cancelled", new SignInPage(page.Address, cancelled.StatusCode, await cancelled.Content.ReadAsStringAsync()).Heading);
        Assert.Equal(HttpStatusCode.Gone, afterwards.Status);
        Assert.Null(afterwards.FormAction);
        Assert.Equal("not_connected", (await _bed.ConnectionAsync(mallory)).GetProperty("status").GetString());
    }
}
