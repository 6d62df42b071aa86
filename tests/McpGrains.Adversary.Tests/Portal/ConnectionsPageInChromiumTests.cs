using System.Net;
using McpGrains.Adversary.Tests.Chromium;
using McpGrains.Adversary.Tests.SignIn;
using McpGrains.Security;

namespace McpGrains.Adversary.Tests.Portal;

/// <summary>
/// The connections page in headless Chromium against a running host: a minted link shows the user's connections,
/// Disconnect (by keyboard) revokes upstream and the status becomes not_connected; the link opens once, in one
/// browser, before it expires, and only ever shows the user it was minted for. Screenshots go to docs/screenshots.
/// </summary>
public sealed class ConnectionsPageInChromiumTests : IClassFixture<PortalTestBed>, IAsyncLifetime
{
    private readonly PortalTestBed _bed;
    private HeadlessChromium _chromium = null!;

    public ConnectionsPageInChromiumTests(PortalTestBed bed)
    {
        _bed = bed;
    }

    public async Task InitializeAsync() => _chromium = await HeadlessChromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    private string PagePrefix => _bed.Host.BaseAddress + "oauth/portal";

    private Task<WatchedPage> OpenTabAsync(string user) =>
        WatchedPage.OpenAsync(_chromium, user, _bed.Host.BaseAddress, new Uri(_bed.AuthorizationServer.Issuer));

    private Task<string> TextAsync(WatchedPage tab) => tab.Page.EvaluateExpressionAsync<string>("document.body.innerText");

    /// <summary>Signs <paramref name="user"/> in through the confirmation page in <paramref name="tab"/>; answers the connected page's link.</summary>
    private async Task<string?> ConnectAsync(WatchedPage tab, string user)
    {
        await tab.Page.GoToAsync(await _bed.AuthorizeAsync(user));
        await tab.Page.Keyboard.PressAsync("Tab");
        var connected = await tab.PressAndWaitForNavigationAsync("Enter");
        Assert.Equal(HttpStatusCode.OK, connected.Status);
        Assert.Equal($"Connected to {SignInTestBed.ServerDisplayName}", await tab.HeadingAsync());
        return await tab.Page.EvaluateExpressionAsync<string?>("document.querySelector('a')?.href ?? null");
    }

    [Fact]
    public async Task MintedLink_ShowsTheConnections_AndDisconnectRevokesUpstream()
    {
        var alice = SignInTestBed.NewUser("alice");
        await using var tab = await OpenTabAsync(alice);
        var offered = await ConnectAsync(tab, alice);
        Assert.StartsWith(PagePrefix + "/", offered, StringComparison.Ordinal);
        var (link, expiresAt) = await _bed.PortalLinkAsync(alice);
        Assert.StartsWith(PagePrefix + "/", link, StringComparison.Ordinal);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        var opened = await tab.Page.GoToAsync(link);

        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Equal(PagePrefix, opened.Url);
        Assert.Equal("Your connections", await tab.HeadingAsync());
        var page = await TextAsync(tab);
        Assert.Contains(alice, page, StringComparison.Ordinal);
        Assert.Contains(SignInTestBed.ServerDisplayName, page, StringComparison.Ordinal);
        Assert.Contains("connected", page, StringComparison.Ordinal);
        Assert.Contains("mcp:read", page, StringComparison.Ordinal);
        await tab.ScreenshotAsync("connections-page");
        var revocations = _bed.AuthorizationServer.RevocationCount;

        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON disconnect solid", await tab.FocusAsync());
        var after = await tab.PressAndWaitForNavigationAsync("Enter");

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(PagePrefix, after.Url);
        Assert.Contains("not_connected", await TextAsync(tab), StringComparison.Ordinal);
        Assert.True(_bed.AuthorizationServer.RevocationCount > revocations, "Disconnect revoked nothing upstream.");
        Assert.Equal("not_connected", (await _bed.ConnectionAsync(alice)).GetProperty("status").GetString());
        Assert.Null(await _bed.WhoAmIAsync(alice));
        await tab.ScreenshotAsync("connections-page-disconnected");

        var twice = await tab.Page.GoToAsync(link);
        Assert.Equal(HttpStatusCode.Gone, twice.Status);
        Assert.Equal("This link was already used", await tab.HeadingAsync());
        Assert.Empty(tab.Errors);
        Assert.Empty(tab.BlockedOrigins);
    }

    [Fact]
    public async Task Connect_GoesToTheSignInConfirmationPage()
    {
        var alice = SignInTestBed.NewUser("alice");
        await using var tab = await OpenTabAsync(alice);
        await tab.Page.GoToAsync((await _bed.PortalLinkAsync(alice)).Url);
        Assert.Contains("not_connected", await TextAsync(tab), StringComparison.Ordinal);

        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON connect solid", await tab.FocusAsync());
        var confirmation = await tab.PressAndWaitForNavigationAsync("Enter");

        Assert.Equal(HttpStatusCode.OK, confirmation.Status);
        Assert.StartsWith(_bed.Host.BaseAddress + "oauth/start/", confirmation.Url, StringComparison.Ordinal);
        Assert.Equal($"Connect your {SignInTestBed.ServerDisplayName} account?", await tab.HeadingAsync());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Link_WorksOnce_InOneBrowser_BeforeItExpires_ForItsOwnUserOnly()
    {
        var alice = SignInTestBed.NewUser("alice");
        var bob = SignInTestBed.NewUser("bob");
        await using var aliceTab = await OpenTabAsync(alice);
        await using var bobTab = await OpenTabAsync(bob);
        await ConnectAsync(aliceTab, alice);
        var (aliceLink, _) = await _bed.PortalLinkAsync(alice);
        var (bobLink, _) = await _bed.PortalLinkAsync(bob);
        Assert.Equal(HttpStatusCode.OK, (await bobTab.Page.GoToAsync(bobLink)).Status);
        Assert.Equal(HttpStatusCode.OK, (await aliceTab.Page.GoToAsync(aliceLink)).Status);

        // Alice's link in Bob's browser (which holds Bob's page): already used, and Bob's page still shows Bob alone.
        var stolen = await bobTab.Page.GoToAsync(aliceLink);
        Assert.Equal(HttpStatusCode.Gone, stolen.Status);
        Assert.Equal("This link was already used", await bobTab.HeadingAsync());
        await bobTab.ScreenshotAsync("connections-page-error-used");
        await bobTab.Page.GoToAsync(PagePrefix);
        var bobsPage = await TextAsync(bobTab);
        Assert.Contains(bob, bobsPage, StringComparison.Ordinal);
        Assert.DoesNotContain(alice, bobsPage, StringComparison.Ordinal);

        // Bob's page session disconnects Bob's connection, never Alice's.
        var revocations = _bed.AuthorizationServer.RevocationCount;
        await bobTab.Page.Keyboard.PressAsync("Tab");
        await bobTab.PressAndWaitForNavigationAsync("Enter");
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
        Assert.Equal(revocations, _bed.AuthorizationServer.RevocationCount);

        // The page without a link opened in this browser, an expired link, and a link sealed for Bob around an id issued for Alice.
        await using var freshTab = await OpenTabAsync(bob);
        var none = await freshTab.Page.GoToAsync(PagePrefix);
        Assert.Equal(HttpStatusCode.Forbidden, none.Status);
        Assert.Equal("No connections page is open in this browser", await freshTab.HeadingAsync());
        var codec = new PortalLinkCodec(SignInTestBed.KeyRing);
        var (unused, _) = await _bed.PortalLinkAsync(alice);
        Assert.True(codec.TryUnprotect(unused[(unused.LastIndexOf('/') + 1)..], out var reference));
        var expired = PagePrefix + "/" + codec.Protect(reference! with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
        var forBob = PagePrefix + "/" + codec.Protect(reference with { UserId = bob });

        var expiredPage = await freshTab.Page.GoToAsync(expired);
        Assert.Equal(HttpStatusCode.Gone, expiredPage.Status);
        Assert.Equal("This link has expired", await freshTab.HeadingAsync());
        await freshTab.ScreenshotAsync("connections-page-error-expired");
        var forBobPage = await freshTab.Page.GoToAsync(forBob);
        Assert.Equal(HttpStatusCode.BadRequest, forBobPage.Status);
        Assert.Equal("This link is invalid", await freshTab.HeadingAsync());
        Assert.Equal(HttpStatusCode.OK, (await freshTab.Page.GoToAsync(unused)).Status);
        Assert.Contains(alice, await TextAsync(freshTab), StringComparison.Ordinal);
        Assert.Empty(aliceTab.Errors);
        Assert.Empty(bobTab.Errors);
        Assert.Empty(freshTab.Errors);
    }
}
