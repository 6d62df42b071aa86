using System.Net;
using System.Web;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// The sign-in link's ticket, the anti-forgery token and cookie, the browser-binding cookie, the state, the code and
/// the tokens never reach a log line, even with every category at Trace.
/// </summary>
public sealed class SignInSecretLoggingTests : IClassFixture<SignInSecretLoggingTests.TraceBed>
{
    private readonly TraceBed _bed;

    public SignInSecretLoggingTests(TraceBed bed)
    {
        _bed = bed;
    }

    [Fact]
    public async Task AWholeSignIn_AndItsRefusals_LogNoSecret()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice, userLabel: "alice@example.com");
        var page = await browser.OpenAsync(link, alice);
        var authorizationUrl = await browser.ContinueAsync(link, alice);
        var cookies = browser.CookiesFor(_bed.CallbackPrefix, alice).Select(c => c.Value).ToArray();
        var wrongBrowser = await _bed.FinishAtProviderAsync(browser, authorizationUrl, "mallory");
        var callback = await browser.FollowToAsync(authorizationUrl.ToString(), _bed.CallbackPrefix, alice);
        using var landing = await browser.GetAsync(callback, alice);
        using var replay = await browser.GetAsync(callback, alice);
        var forgedTicket = await browser.OpenAsync(link[..^4] + "AAAA", alice);

        Assert.Equal(HttpStatusCode.Conflict, wrongBrowser.Status);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedTicket.Status);
        Assert.Equal(2, cookies.Length);
        var query = HttpUtility.ParseQueryString(callback.Query);
        string[] secrets =
        [
            link[(link.LastIndexOf('/') + 1)..],
            .. page.HiddenFields.Values,
            .. cookies,
            authorizationUrl.ToString(),
            query["state"]!,
            query["code"]!,
            .. _bed.AuthorizationServer.AllIssuedSecrets,
        ];
        Assert.Contains(_bed.Host.Logs.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        Assert.Contains(_bed.Host.Logs.Entries, e => e.Category == "McpGrains.Gateway.SignIn");
        Assert.Empty(Leaks(_bed.Host, secrets));
    }

    /// <summary>Where a secret leaked, by category and event (never the secret itself, which would end in the failure message).</summary>
    public static IEnumerable<string> Leaks(RunningHost host, IReadOnlyList<string> secrets) => host.Logs.Entries
        .Where(entry => secrets.Any(secret => secret.Length > 0 && entry.FullText.Contains(secret, StringComparison.Ordinal)))
        .Select(entry => entry.Category + " (event " + entry.EventId + ")")
        .Distinct();

    /// <summary>Every category at Trace, as an operator chasing a problem might set it.</summary>
    public sealed class TraceBed : SignInTestBed
    {
        protected override void Configure(Dictionary<string, string?> settings) => LogEverything(settings);
    }
}
