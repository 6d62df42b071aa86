using System.Net;
using McpGrains.Adversary.Tests.SignIn;
using McpGrains.Security;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.Chromium;

/// <summary>
/// The sign-in pages in a real browser (headless Chromium) against a running host: they render, the confirmation page
/// works by keyboard alone (Tab reaches Continue, Enter submits, the sign-in completes), no script or console error
/// occurs (the strict Content-Security-Policy included), and the browser requests nothing from any origin but
/// McpGrains and the provider. Screenshots go to docs/screenshots.
/// </summary>
public sealed class SignInPagesInChromiumTests : IClassFixture<SignInTestBed>, IAsyncLifetime
{
    private readonly SignInTestBed _bed;
    private HeadlessChromium _chromium = null!;

    public SignInPagesInChromiumTests(SignInTestBed bed)
    {
        _bed = bed;
    }

    public async Task InitializeAsync() => _chromium = await HeadlessChromium.LaunchAsync();

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    private Uri Provider => new(_bed.AuthorizationServer.Issuer);

    private Task<WatchedPage> OpenTabAsync(string user) => WatchedPage.OpenAsync(_chromium, user, _bed.Host.BaseAddress, Provider);

    private static void AssertClean(WatchedPage tab)
    {
        Assert.Empty(tab.Errors);
        Assert.Empty(tab.BlockedOrigins);
    }

    [Fact]
    public async Task ConfirmationPage_ByKeyboardAlone_ContinuesToTheProviderAndConnects()
    {
        var alice = SignInTestBed.NewUser("alice");
        var link = await _bed.AuthorizeAsync(alice, userLabel: "alice@example.com");
        await using var tab = await OpenTabAsync(alice);

        var opened = await tab.Page.GoToAsync(link);
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Equal($"Connect your {SignInTestBed.ServerDisplayName} account?", await tab.HeadingAsync());
        Assert.Equal("en", await tab.Page.EvaluateExpressionAsync<string>("document.documentElement.lang"));
        Assert.Contains("alice@example.com", await tab.Page.EvaluateExpressionAsync<string>("document.body.innerText"), StringComparison.Ordinal);
        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON continue solid", await tab.FocusAsync());
        await tab.ScreenshotAsync("sign-in-confirmation");

        var landed = await tab.PressAndWaitForNavigationAsync("Enter");

        Assert.Equal(HttpStatusCode.OK, landed.Status);
        Assert.StartsWith(_bed.CallbackPrefix.ToString(), landed.Url, StringComparison.Ordinal);
        Assert.Equal($"Connected to {SignInTestBed.ServerDisplayName}", await tab.HeadingAsync());
        await tab.ScreenshotAsync("sign-in-connected");
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
        Assert.Contains(Provider.GetLeftPart(UriPartial.Authority), tab.RequestedOrigins);
        AssertClean(tab);
    }

    [Fact]
    public async Task Cancel_ByKeyboard_EndsTheSignIn()
    {
        var alice = SignInTestBed.NewUser("alice");
        var link = await _bed.AuthorizeAsync(alice, userLabel: "alice@example.com");
        await using var tab = await OpenTabAsync(alice);
        await tab.Page.GoToAsync(link);

        await tab.Page.Keyboard.PressAsync("Tab");
        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON cancel solid", await tab.FocusAsync());
        var cancelled = await tab.PressAndWaitForNavigationAsync("Enter");

        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("Sign-in cancelled", await tab.HeadingAsync());
        await tab.ScreenshotAsync("sign-in-cancelled");
        Assert.Equal("not_connected", (await _bed.ConnectionAsync(alice)).GetProperty("status").GetString());
        Assert.DoesNotContain(Provider.GetLeftPart(UriPartial.Authority), tab.RequestedOrigins);
        AssertClean(tab);
    }

    [Fact]
    public async Task ErrorPages_RenderAndSayWhy()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var victim = SignInTestBed.NewUser("alice");
        using var other = new TestBrowser();
        var link = await _bed.AuthorizeAsync(mallory);
        var authorizationUrl = await other.ContinueAsync(link, mallory);
        var tickets = new SignInTicketCodec(SignInTestBed.KeyRing);
        Assert.True(tickets.TryUnprotect(link[(link.LastIndexOf('/') + 1)..], out var flow));
        var expired = _bed.Host.BaseAddress + "oauth/start/" + tickets.Protect(flow! with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        await using var tab = await OpenTabAsync(victim);

        (string Url, HttpStatusCode Status, string Heading, string Screenshot)[] pages =
        [
            (_bed.Host.BaseAddress + "oauth/start/not-a-ticket", HttpStatusCode.BadRequest, "This sign-in link is invalid", "sign-in-error-invalid-link"),
            (expired, HttpStatusCode.Gone, "This sign-in has expired", "sign-in-error-expired"),
            (link, HttpStatusCode.Conflict, "This sign-in was continued in another browser", "sign-in-error-continued-elsewhere"),
            (authorizationUrl.ToString(), HttpStatusCode.Conflict, "This sign-in was started in another browser", "sign-in-error-other-browser"),
        ];
        foreach (var (url, status, heading, screenshot) in pages)
        {
            var response = await tab.Page.GoToAsync(url);

            Assert.Equal(status, response.Status);
            Assert.Equal(heading, await tab.HeadingAsync());
            Assert.Equal(0, await tab.Page.EvaluateExpressionAsync<int>("document.forms.length"));
            await tab.ScreenshotAsync(screenshot);
        }

        Assert.Null(await _bed.WhoAmIAsync(mallory));
        AssertClean(tab);
    }
}
