using System.Net;

namespace McpGrains.Testing;

/// <summary>
/// Plays users' browsers through McpGrains' sign-in: the sign-in link's confirmation page, Continue (a form POST with
/// its anti-forgery token), the authorization server (redirects followed one hop at a time, sending
/// <see cref="TestAuthorizationServer.UserHeader"/>) and the callback. Each user name is its own browser profile with
/// its own cookie jar, so "alice's browser" and "mallory's browser" never share the sign-in cookie; a second instance
/// is another device of the same users.
/// </summary>
public sealed class TestBrowser : IDisposable
{
    public const int MaxHops = 10;

    private readonly HttpClient _http;
    private readonly HttpClient? _gateway;
    private readonly Uri? _gatewayOrigin;
    private readonly bool _ownsGateway;
    private readonly Lock _sync = new();
    private readonly List<Uri> _visited = [];
    private readonly Dictionary<string, CookieContainer> _jars = new(StringComparer.Ordinal);

    public TestBrowser()
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    }

    /// <summary>A browser whose requests to <paramref name="gatewayOrigin"/> go through <paramref name="gatewayHandler"/> (an in-memory test server).</summary>
    public TestBrowser(Uri gatewayOrigin, HttpMessageHandler gatewayHandler)
        : this(gatewayOrigin, gatewayHandler, ownsHandler: false)
    {
    }

    private TestBrowser(Uri gatewayOrigin, HttpMessageHandler gatewayHandler, bool ownsHandler)
        : this()
    {
        ArgumentNullException.ThrowIfNull(gatewayOrigin);
        ArgumentNullException.ThrowIfNull(gatewayHandler);
        _gatewayOrigin = new Uri(gatewayOrigin.GetLeftPart(UriPartial.Authority));
        _gateway = new HttpClient(gatewayHandler, disposeHandler: ownsHandler);
        _ownsGateway = ownsHandler;
    }

    /// <summary>
    /// A browser for a gateway whose PublicBaseUrl (<paramref name="publicBaseUrl"/>, what links and cookies name) is
    /// not where it listens (<paramref name="listeningAt"/>): requests are sent there, cookies kept for the public URL.
    /// </summary>
    public static TestBrowser ForGateway(Uri publicBaseUrl, Uri listeningAt) =>
        new(publicBaseUrl, new OriginRewriteHandler(listeningAt) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false } }, ownsHandler: true);

    /// <summary>Every URL this browser requested, in order (test diagnostics; contains secrets).</summary>
    public IReadOnlyList<Uri> VisitedUris
    {
        get
        {
            lock (_sync)
            {
                return [.. _visited];
            }
        }
    }

    /// <summary>The cookies <paramref name="user"/>'s browser would send to <paramref name="uri"/>.</summary>
    public CookieCollection CookiesFor(Uri uri, string user = TestAuthorizationServer.DefaultUser) => Jar(user).GetCookies(uri);

    /// <summary>
    /// Requests <paramref name="url"/> and follows 3xx responses until a Location starts with
    /// <paramref name="stopAtPrefix"/>; returns that Location (absolute) without requesting it.
    /// </summary>
    public async Task<Uri> FollowToAsync(
        string url,
        Uri stopAtPrefix,
        string user = TestAuthorizationServer.DefaultUser,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(stopAtPrefix);
        var current = new Uri(url, UriKind.Absolute);
        var prefix = stopAtPrefix.ToString();
        for (var hop = 1; hop <= MaxHops; hop++)
        {
            using var response = await GetAsync(current, user, cancellationToken);
            var location = await RedirectTargetAsync(response, current, $"Hop {hop}", cancellationToken);
            if (location.ToString().StartsWith(prefix, StringComparison.Ordinal))
            {
                return location;
            }

            current = location;
        }

        throw new InvalidOperationException($"No redirect to {prefix} within {MaxHops} hops; last was {current.GetLeftPart(UriPartial.Path)}.");
    }

    /// <summary>One GET with the user's cookies; redirects are not followed.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url, string user = TestAuthorizationServer.DefaultUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, url), user, cancellationToken);
    }

    /// <summary>Opens a sign-in link (or any McpGrains page) and reads the page, whatever its status.</summary>
    public async Task<SignInPage> OpenAsync(string url, string user = TestAuthorizationServer.DefaultUser, CancellationToken cancellationToken = default)
    {
        var address = new Uri(url, UriKind.Absolute);
        using var response = await GetAsync(address, user, cancellationToken);
        return new SignInPage(address, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Submits the page's form with one of its buttons, as the browser that opened it (same cookies, its Origin).</summary>
    public Task<HttpResponseMessage> SubmitAsync(
        SignInPage page,
        string button = "continue",
        string user = TestAuthorizationServer.DefaultUser,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var action = page.FormAction ?? throw new InvalidOperationException($"The page '{page.Heading}' ({(int)page.Status}) has no form.");
        var fields = page.HiddenFields.Append(new KeyValuePair<string, string>("action", button));
        var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", page.Address.GetLeftPart(UriPartial.Authority));
        return SendAsync(request, user, cancellationToken);
    }

    /// <summary>Opens the sign-in link and presses Continue; returns the authorization server URL it redirects to (not requested).</summary>
    public async Task<Uri> ContinueAsync(string signInLink, string user = TestAuthorizationServer.DefaultUser, CancellationToken cancellationToken = default)
    {
        var page = await OpenAsync(signInLink, user, cancellationToken);
        if (page.Status != HttpStatusCode.OK || page.FormAction is null)
        {
            throw new InvalidOperationException($"The sign-in link answered {(int)page.Status} '{page.Heading}' instead of the confirmation page.");
        }

        using var response = await SubmitAsync(page, "continue", user, cancellationToken);
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            var failed = new SignInPage(page.FormAction, response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            throw new InvalidOperationException($"Continue answered {(int)response.StatusCode} '{failed.Heading}' instead of 303.");
        }

        return await RedirectTargetAsync(response, page.FormAction, "Continue", cancellationToken);
    }

    /// <summary>Confirmation page, Continue, the authorization server: returns the callback URL (not requested).</summary>
    public async Task<Uri> SignInAsync(string signInLink, Uri callbackPrefix, string user = TestAuthorizationServer.DefaultUser, CancellationToken cancellationToken = default)
    {
        var authorizationUrl = await ContinueAsync(signInLink, user, cancellationToken);
        return await FollowToAsync(authorizationUrl.ToString(), callbackPrefix, user, cancellationToken);
    }

    /// <summary>
    /// The whole sign-in, ending with the callback request (with this browser's cookies), sent to
    /// <paramref name="callbackVia"/> when given (another front end behind the same host name) and returned.
    /// </summary>
    public async Task<HttpResponseMessage> CompleteSignInAsync(
        string signInLink,
        Uri callbackPrefix,
        string user = TestAuthorizationServer.DefaultUser,
        Uri? callbackVia = null,
        CancellationToken cancellationToken = default)
    {
        var callback = await SignInAsync(signInLink, callbackPrefix, user, cancellationToken);
        return await GetAsync(callbackVia is null ? callback : new Uri(callbackVia, callback.PathAndQuery), user, cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        if (_ownsGateway)
        {
            _gateway?.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string user, CancellationToken cancellationToken)
    {
        using (request)
        {
            var uri = request.RequestUri!;
            var jar = Jar(user);
            request.Headers.Add(TestAuthorizationServer.UserHeader, user);
            var cookies = jar.GetCookieHeader(uri);
            if (cookies.Length > 0)
            {
                request.Headers.Add("Cookie", cookies);
            }

            lock (_sync)
            {
                _visited.Add(uri);
            }

            var client = _gateway is not null && _gatewayOrigin!.IsBaseOf(uri) ? _gateway : _http;
            var response = await client.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    jar.SetCookies(uri, setCookie);
                }
            }

            return response;
        }
    }

    private static async Task<Uri> RedirectTargetAsync(HttpResponseMessage response, Uri current, string step, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or >= 400 || response.Headers.Location is null)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"{step} to {current.GetLeftPart(UriPartial.Path)} answered {status} {response.StatusCode} instead of a redirect. Body: {Truncate(body, 500)}");
        }

        return response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(current, response.Headers.Location);
    }

    private CookieContainer Jar(string user)
    {
        lock (_sync)
        {
            if (!_jars.TryGetValue(user, out var jar))
            {
                jar = new CookieContainer();
                _jars[user] = jar;
            }

            return jar;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";

    /// <summary>Sends requests for the public origin to where the gateway really listens.</summary>
    private sealed class OriginRewriteHandler(Uri listeningAt) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(listeningAt, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
