using System.Net;
using McpGrains.Security;
using McpGrains.Testing;
using Microsoft.Net.Http.Headers;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// The sign-in link itself: forged, expired and cross-purpose tickets get a page that says why; the pages and the
/// Continue redirect carry the headers that keep them out of caches, frames and Referer; the cookies are HttpOnly,
/// SameSite and scoped to the sign-in pages; the binding cookie is gone once the flow is.
/// </summary>
public sealed class SignInLinkTests : IClassFixture<SignInTestBed>
{
    private readonly SignInTestBed _bed;

    public SignInLinkTests(SignInTestBed bed)
    {
        _bed = bed;
    }

    private static string TicketOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    /// <summary>Opens a sign-in link and presses Continue, keeping both raw responses.</summary>
    private static async Task<ContinuedSignIn> OpenAndContinueAsync(TestBrowser browser, string link, string user)
    {
        var pageResponse = await browser.GetAsync(new Uri(link), user);
        var page = new SignInPage(new Uri(link), pageResponse.StatusCode, await pageResponse.Content.ReadAsStringAsync());
        return new ContinuedSignIn(pageResponse, page, await browser.SubmitAsync(page, "continue", user));
    }

    private sealed record ContinuedSignIn(HttpResponseMessage PageResponse, SignInPage Page, HttpResponseMessage Continued) : IDisposable
    {
        public void Dispose()
        {
            PageResponse.Dispose();
            Continued.Dispose();
        }
    }

    [Fact]
    public async Task ForgedExpiredOrCrossPurposeTickets_GetAPageThatSaysWhy_AndClaimNothing()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);
        var tickets = new SignInTicketCodec(SignInTestBed.KeyRing);
        Assert.True(tickets.TryUnprotect(TicketOf(link), out var flow));
        var start = new Uri(_bed.Host.BaseAddress, "/oauth/start/").ToString();
        var ticket = TicketOf(link);

        var altered = await browser.OpenAsync(start + ticket[..^3] + (ticket[^3] == 'A' ? 'B' : 'A') + ticket[^2..], alice);
        var expired = await browser.OpenAsync(start + tickets.Protect(flow! with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) }), alice);
        var stateAsTicket = await browser.OpenAsync(start + SignInTestBed.StateCodec.Protect(flow!), alice);
        var ticketAsState = await browser.OpenAsync(_bed.CallbackPrefix + "?code=x&state=" + ticket, alice);

        Assert.Equal((HttpStatusCode.BadRequest, "This sign-in link is invalid"), (altered.Status, altered.Heading));
        Assert.Equal((HttpStatusCode.Gone, "This sign-in has expired"), (expired.Status, expired.Heading));
        Assert.Equal((HttpStatusCode.BadRequest, "This sign-in link is invalid"), (stateAsTicket.Status, stateAsTicket.Heading));
        Assert.Equal((HttpStatusCode.BadRequest, "This sign-in link is invalid"), (ticketAsState.Status, ticketAsState.Heading));
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(link, alice)).Status);
        foreach (var mangled in new[] { start, start.TrimEnd('/'), link + "/more", link[..^1] })
        {
            var page = await browser.OpenAsync(mangled, alice);
            Assert.True((HttpStatusCode.BadRequest, "This sign-in link is invalid") == (page.Status, page.Heading), $"{page.Status} {page.Heading}");
        }
    }

    [Fact]
    public async Task TheLinkIsShortAndOpaque()
    {
        var user = SignInTestBed.NewUser("someone-with-a-long-name@example.com");

        var link = await _bed.AuthorizeAsync(user, userLabel: "someone@example.com");

        Assert.Matches("^" + _bed.Host.BaseAddress + "oauth/start/[A-Za-z0-9_-]+$", link);
        Assert.DoesNotContain("someone", link, StringComparison.Ordinal);
        Assert.DoesNotContain(SignInTestBed.ServerId, TicketOf(link), StringComparison.Ordinal);
        Assert.True(TicketOf(link).Length <= 200, $"the ticket is {TicketOf(link).Length} characters");
    }

    [Fact]
    public async Task PagesAndTheContinueRedirect_AreNeverCachedFramedOrAReferer()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);

        using var signIn = await OpenAndContinueAsync(browser, link, alice);
        var (pageResponse, page, continued) = signIn;

        Assert.Equal(HttpStatusCode.SeeOther, continued.StatusCode);
        foreach (var response in new[] { pageResponse, continued })
        {
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        }

        var csp = string.Join(",", pageResponse.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join(",", pageResponse.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", string.Join(",", pageResponse.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<html lang=\"en\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("<title>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookies_AreHttpOnlySameSiteAndScopedToTheSignInPages_AndTheBindingCookieEndsWithTheFlow()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        using var signIn = await OpenAndContinueAsync(browser, await _bed.AuthorizeAsync(alice), alice);
        var (pageResponse, _, continued) = signIn;
        var antiforgery = SetCookieHeaderValue.Parse(Assert.Single(pageResponse.Headers.GetValues("Set-Cookie")));
        var binding = SetCookieHeaderValue.Parse(Assert.Single(continued.Headers.GetValues("Set-Cookie")));
        Assert.Equal(2, browser.CookiesFor(_bed.CallbackPrefix, alice).Count);

        var callback = await browser.FollowToAsync(continued.Headers.Location!.ToString(), _bed.CallbackPrefix, alice);
        using var landing = await browser.GetAsync(callback, alice);

        Assert.Equal("mcpgrains-antiforgery", antiforgery.Name.ToString());
        Assert.Equal((true, SameSiteMode.Strict, "/oauth", false), (antiforgery.HttpOnly, antiforgery.SameSite, antiforgery.Path.ToString(), antiforgery.Secure));
        Assert.StartsWith("mcpgrains-signin-", binding.Name.ToString(), StringComparison.Ordinal);
        Assert.Equal((true, SameSiteMode.Lax, "/oauth", false), (binding.HttpOnly, binding.SameSite, binding.Path.ToString(), binding.Secure));
        Assert.InRange(binding.Expires!.Value, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var cleared = SetCookieHeaderValue.Parse(Assert.Single(landing.Headers.GetValues("Set-Cookie")));
        Assert.Equal(binding.Name, cleared.Name);
        Assert.DoesNotContain(browser.CookiesFor(_bed.CallbackPrefix, alice), c => c.Name == binding.Name.ToString());
    }

    [Fact]
    public async Task UnderAnHttpsPublicUrl_CookiesAreHostPrefixedAndSecure_AndTheSignInCompletes()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync();
        await using var server = await ProtectedMcpServer.StartAsync(authorizationServer);
        var port = RunningHost.FreePort();
        var publicUrl = new Uri($"https://127.0.0.1:{port}");
        // The host listens on http, as behind a TLS-terminating proxy; browsers know it by its https URL.
        await using var host = RunningHost.Start(settings =>
        {
            settings["McpGrains:PublicBaseUrl"] = publicUrl.ToString().TrimEnd('/');
            settings[$"McpGrains:Servers:{SignInTestBed.ServerId}:Url"] = server.McpUri.ToString();
        });
        using var browser = TestBrowser.ForGateway(publicUrl, host.BaseAddress);
        using var client = host.Client();
        using var authorize = await client.PostAsync($"/api/v1/users/alice/connections/{SignInTestBed.ServerId}/authorize", null);
        var link = System.Text.Json.JsonDocument.Parse(await authorize.Content.ReadAsStringAsync()).RootElement.GetProperty("authorizationUrl").GetString()!;
        Assert.StartsWith(publicUrl + "oauth/start/", link, StringComparison.Ordinal);

        using var signIn = await OpenAndContinueAsync(browser, link, "alice");
        var (pageResponse, _, continued) = signIn;
        var callback = await browser.FollowToAsync(continued.Headers.Location!.ToString(), new Uri(publicUrl, "/oauth/callback"), "alice");
        using var landing = await browser.GetAsync(callback, "alice");

        foreach (var cookie in new[] { pageResponse, continued }.Select(r => SetCookieHeaderValue.Parse(Assert.Single(r.Headers.GetValues("Set-Cookie")))))
        {
            Assert.StartsWith("__Host-mcpgrains-", cookie.Name.ToString(), StringComparison.Ordinal);
            Assert.Equal((true, true, "/"), (cookie.Secure, cookie.HttpOnly, cookie.Path.ToString()));
            Assert.Null(cookie.Domain.Value);
        }

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal($"Connected to {SignInTestBed.ServerId}", new SignInPage(callback, landing.StatusCode, await landing.Content.ReadAsStringAsync()).Heading);
    }
}
