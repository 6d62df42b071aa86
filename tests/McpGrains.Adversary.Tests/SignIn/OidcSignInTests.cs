using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// Issue 10, strong binding mode oidc, against a running host over real HTTP: a sign-in link opens only after the
/// browser signed in with the organization's OpenID Connect provider, and only for the identity the host app named. A
/// link opened by someone else (either direction, across host apps) is refused and left as it was.
/// </summary>
public sealed class OidcSignInTests : IClassFixture<OidcSignInTestBed>
{
    private readonly OidcSignInTestBed _bed;

    public OidcSignInTests(OidcSignInTestBed bed)
    {
        _bed = bed;
    }

    private Task<string> AuthorizeAsync(string user, string hostKey = RunningHost.HostAKey) =>
        AuthorizeForAsync(user, OidcSignInTestBed.EmailOf(user), hostKey);

    private async Task<string> AuthorizeForAsync(string user, string identity, string hostKey = RunningHost.HostAKey)
    {
        using var response = await _bed.PostAuthorizeAsync(user, hostKey, new { identity, userLabel = identity });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"authorize answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("authorizationUrl").GetString()!;
    }

    /// <summary>The browser, on the confirmation page, presses Continue, signs in at the provider and lands on the callback.</summary>
    private async Task<SignInPage> ContinueAndFinishAsync(TestBrowser browser, SignInPage confirmation, string user)
    {
        using var continued = await browser.SubmitAsync(confirmation, "continue", user);
        Assert.Equal(HttpStatusCode.SeeOther, continued.StatusCode);
        return await _bed.FinishAtProviderAsync(browser, continued.Headers.Location!, user);
    }

    [Fact]
    public async Task LegitimateFlow_TheNamedPersonSignsInAtTheOrganization_ContinuesAndConnects()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(alice);

        using var first = await browser.GetAsync(new Uri(link), alice);
        var page = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);
        var done = await ContinueAndFinishAsync(browser, page, alice);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith(_bed.Organization.AuthorizationEndpoint.ToString(), first.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("You signed in as", page.Text, StringComparison.Ordinal);
        Assert.Contains(OidcSignInTestBed.EmailOf(alice), page.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
    }

    [Fact]
    public async Task AWholeOrganizationSignIn_AndARefusal_LogNoSecretAndNoIdentity()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(alice);
        var refused = await _bed.OpenWithOrganizationSignInAsync(browser, link, mallory);
        var page = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);
        var done = await ContinueAndFinishAsync(browser, page, alice);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains(_bed.Host.Logs.Entries, e => e.EventId == 3240);
        string[] secrets =
        [
            link[(link.LastIndexOf('/') + 1)..],
            .. browser.CookiesFor(new Uri(_bed.Host.BaseAddress, "/oauth/oidc/host-a"), alice).Select(c => c.Value),
            .. browser.CookiesFor(new Uri(_bed.Host.BaseAddress, "/oauth/oidc/host-a"), mallory).Select(c => c.Value),
            .. _bed.Organization.AllIssuedSecrets,
            .. _bed.AuthorizationServer.AllIssuedSecrets,
            OidcSignInTestBed.EmailOf(alice),
            OidcSignInTestBed.EmailOf(mallory),
        ];
        Assert.Empty(SignInSecretLoggingTests.Leaks(_bed.Host, secrets));
    }

    [Fact]
    public async Task Forward_TheRequestersLinkOpenedByTheVictim_IsRefused_AndLeftForTheRequester()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(mallory);
        var authorizeRequests = _bed.AuthorizationServer.AuthorizeRequestCount;

        var victim = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);

        Assert.Equal(HttpStatusCode.Forbidden, victim.Status);
        Assert.Equal("This sign-in is for someone else", victim.Heading);
        Assert.Contains(OidcSignInTestBed.EmailOf(alice), victim.Text, StringComparison.Ordinal);
        Assert.Equal(["switch-account"], victim.Buttons);
        Assert.Equal(authorizeRequests, _bed.AuthorizationServer.AuthorizeRequestCount);
        Assert.Null(await _bed.WhoAmIAsync(mallory));
        // The flow was left untouched: its owner still finishes it, with her own account.
        var own = await _bed.OpenWithOrganizationSignInAsync(browser, link, mallory);
        Assert.Equal(HttpStatusCode.OK, (await ContinueAndFinishAsync(browser, own, mallory)).Status);
        Assert.Equal(mallory, await _bed.WhoAmIAsync(mallory));
    }

    [Fact]
    public async Task Reverse_TheVictimsLinkOpenedByTheAttacker_IsRefused_AndTheVictimStillFinishes()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(alice);

        var attacker = await _bed.OpenWithOrganizationSignInAsync(browser, link, mallory);

        Assert.Equal(HttpStatusCode.Forbidden, attacker.Status);
        Assert.Null(attacker.FormAction is null ? null : attacker.Buttons.FirstOrDefault(b => b == "continue"));
        Assert.Equal("authorization_pending", (await _bed.ConnectionAsync(alice)).GetProperty("status").GetString());
        var own = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);
        Assert.Equal(HttpStatusCode.OK, (await ContinueAndFinishAsync(browser, own, alice)).Status);
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
    }

    [Fact]
    public async Task AcrossHostApps_AHostBLinkOpenedByAHostAUser_IsRefused_AndNeedsItsOwnOrganizationSignIn()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var aliceLink = await AuthorizeAsync(alice, RunningHost.HostAKey);
        var own = await _bed.OpenWithOrganizationSignInAsync(browser, aliceLink, alice);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        var link = await AuthorizeAsync(mallory, RunningHost.HostBKey);

        // Signed in for host A, the browser is not signed in for host B: host B's link sends it to sign in again.
        using var first = await browser.GetAsync(new Uri(link), alice);
        var victim = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, victim.Status);
        Assert.Contains(SignInTestBed.HostBDisplayName, victim.Text, StringComparison.Ordinal);
        Assert.Null(await _bed.WhoAmIAsync(mallory, RunningHost.HostBKey));
        Assert.Null(await _bed.WhoAmIAsync(alice, RunningHost.HostBKey));
    }

    [Fact]
    public async Task TheNamedPersonsConfirmationPage_CannotBeSubmittedByAnotherPersonsBrowser()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(alice);
        var page = await _bed.OpenWithOrganizationSignInAsync(browser, link, alice);
        await _bed.OpenWithOrganizationSignInAsync(browser, link, mallory);

        // Mallory's browser, signed in at the organization as Mallory, posts the page Alice's browser was shown.
        using var posted = await browser.SubmitAsync(page, "continue", mallory);

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
        Assert.Equal("authorization_pending", (await _bed.ConnectionAsync(alice)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OrganizationSignIn_StartedOnOneFrontEnd_CompletesOnAnother_WithTheSharedKeyRing()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await AuthorizeAsync(alice);
        await using var other = _bed.StartAnotherFrontEnd();

        // The provider sends the browser back to the public URL; the load balancer hands the callback to the other node,
        // which must open the first node's state and nonce and sign the browser in for the first node to read.
        var callback = await browser.FollowToAsync(link, new Uri(_bed.Host.BaseAddress, "/oauth/oidc/"), alice);
        using var answered = await browser.GetAsync(new Uri(other.BaseAddress, callback.PathAndQuery), alice);
        var page = await browser.OpenAsync(link, alice);

        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Equal(link, answered.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(OidcSignInTestBed.EmailOf(alice), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WithoutTheIdentity_IsRefused_ForAHostAppInOidcMode()
    {
        var alice = SignInTestBed.NewUser("alice");

        using var none = await _bed.PostAuthorizeAsync(alice, RunningHost.HostAKey, new { userLabel = "Alice" });
        using var placeholder = await _bed.PostAuthorizeAsync(alice, RunningHost.HostAKey, new { identity = "{{LIBRECHAT_USER_EMAIL}}" });

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("identity_required", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, placeholder.StatusCode);
    }
}
