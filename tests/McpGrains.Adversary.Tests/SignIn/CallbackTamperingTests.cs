using System.Net;
using System.Web;
using McpGrains.Security;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// Authorization responses that must not complete anything: replayed, forged, altered, expired or duplicated
/// <c>state</c>, a missing or wrong RFC 9207 <c>iss</c>. Each gets a page that says why, and changes no tokens.
/// </summary>
public sealed class CallbackTamperingTests : IClassFixture<SignInTestBed>
{
    private readonly SignInTestBed _bed;

    public CallbackTamperingTests(SignInTestBed bed)
    {
        _bed = bed;
    }

    /// <summary>A user who pressed Continue and came back from the provider: the callback URL, not requested yet.</summary>
    private async Task<(string User, TestBrowser Browser, Uri Callback)> ArriveAtCallbackAsync()
    {
        var user = SignInTestBed.NewUser("alice");
        var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(user);
        var authorizationUrl = await _bed.ContinueAsync(browser, link, user);
        return (user, browser, await browser.FollowToAsync(authorizationUrl.ToString(), _bed.CallbackPrefix, user));
    }

    private static Uri With(Uri callback, string name, string? value)
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

    private static async Task<SignInPage> OpenAsync(TestBrowser browser, Uri url, string user)
    {
        using var response = await browser.GetAsync(url, user);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return new SignInPage(url, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReplayedCallback_InTheSameOrAnotherBrowser_ChangesNothing()
    {
        var (user, browser, callback) = await ArriveAtCallbackAsync();
        using var _ = browser;
        var first = await OpenAsync(browser, callback, user);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var tokenRequests = _bed.AuthorizationServer.TokenRequestCount;
        using var other = new TestBrowser();

        var replay = await OpenAsync(browser, callback, user);
        var elsewhere = await OpenAsync(other, callback, "mallory");

        Assert.Equal(HttpStatusCode.Gone, replay.Status);
        Assert.Equal("This sign-in link was already used", replay.Heading);
        Assert.Equal(HttpStatusCode.Gone, elsewhere.Status);
        Assert.Equal(tokenRequests, _bed.AuthorizationServer.TokenRequestCount);
        Assert.Equal(user, await _bed.WhoAmIAsync(user));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("altered")]
    [InlineData("other-keys")]
    [InlineData("duplicated")]
    [InlineData("two-states")]
    public async Task ForgedAlteredOrRepeatedState_GetsTheInvalidLinkPage_AndNoTokenRequest(string tampering)
    {
        var (user, browser, callback) = await ArriveAtCallbackAsync();
        using var _ = browser;
        var state = HttpUtility.ParseQueryString(callback.Query)["state"]!;
        var foreign = new AuthorizationStateCodec(new KeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"));
        Assert.True(SignInTestBed.StateCodec.TryUnprotect(state, out var opened));
        var tampered = tampering switch
        {
            "missing" => With(callback, "state", null),
            "garbage" => With(callback, "state", "not-a-state"),
            "altered" => With(callback, "state", state[..^3] + (state[^3] == 'A' ? 'B' : 'A') + state[^2..]),
            "other-keys" => With(callback, "state", foreign.Protect(opened!)),
            "duplicated" => new Uri(callback + "&state=" + state),
            _ => new Uri(callback + "&state=" + SignInTestBed.StateCodec.Protect(opened!)),
        };
        var tokenRequests = _bed.AuthorizationServer.TokenRequestCount;

        var page = await OpenAsync(browser, tampered, user);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("This sign-in link is invalid", page.Heading);
        Assert.Equal(tokenRequests, _bed.AuthorizationServer.TokenRequestCount);
        // The genuine response still completes: a forgery consumed nothing.
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(browser, callback, user)).Status);
    }

    [Fact]
    public async Task ExpiredState_GetsTheExpiredPage_AndNoTokenRequest()
    {
        var (user, browser, callback) = await ArriveAtCallbackAsync();
        using var _ = browser;
        Assert.True(SignInTestBed.StateCodec.TryUnprotect(HttpUtility.ParseQueryString(callback.Query)["state"], out var opened));
        var expired = SignInTestBed.StateCodec.Protect(opened! with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        var tokenRequests = _bed.AuthorizationServer.TokenRequestCount;

        var page = await OpenAsync(browser, With(callback, "state", expired), user);

        Assert.Equal(HttpStatusCode.Gone, page.Status);
        Assert.Equal("This sign-in has expired", page.Heading);
        Assert.Equal(tokenRequests, _bed.AuthorizationServer.TokenRequestCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://attacker.example")]
    public async Task MissingOrWrongIssuer_IsRefusedWithoutATokenRequest(string? issuer)
    {
        var (user, browser, callback) = await ArriveAtCallbackAsync();
        using var _ = browser;
        var tokenRequests = _bed.AuthorizationServer.TokenRequestCount;

        var page = await OpenAsync(browser, With(callback, "iss", issuer), user);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("The sign-in answer came from an unexpected server", page.Heading);
        Assert.Equal(tokenRequests, _bed.AuthorizationServer.TokenRequestCount);
        Assert.Null(await _bed.WhoAmIAsync(user));
    }

    [Fact]
    public async Task ProviderError_IsShownEncodedAndConnectsNothing()
    {
        var user = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(user);
        var authorizationUrl = await _bed.ContinueAsync(browser, link, user);
        _bed.AuthorizationServer.InjectAuthorizeError("access_denied", "<script>alert(1)</script>");

        var page = await _bed.FinishAtProviderAsync(browser, authorizationUrl, user);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Access was denied", page.Heading);
        Assert.DoesNotContain("<script>", page.Html, StringComparison.Ordinal);
        Assert.Null(await _bed.WhoAmIAsync(user));
    }
}
