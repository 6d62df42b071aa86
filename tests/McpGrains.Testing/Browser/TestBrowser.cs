namespace McpGrains.Testing;

/// <summary>
/// Plays the user's browser through an authorization flow: follows redirects one hop at a time (sending
/// <see cref="TestAuthorizationServer.UserHeader"/>) and stops at the client's redirect URI without requesting it.
/// </summary>
public sealed class TestBrowser : IDisposable
{
    public const int MaxHops = 10;

    private readonly HttpClient _http;
    private readonly Lock _sync = new();
    private readonly List<Uri> _visited = [];

    public TestBrowser()
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    }

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

    /// <summary>
    /// Requests <paramref name="authorizationUrl"/> and follows 3xx responses until a Location starts with
    /// <paramref name="stopAtPrefix"/>; returns that Location (absolute) without requesting it.
    /// </summary>
    public async Task<Uri> FollowToAsync(
        string authorizationUrl,
        Uri stopAtPrefix,
        string user = TestAuthorizationServer.DefaultUser,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        ArgumentNullException.ThrowIfNull(stopAtPrefix);
        var current = new Uri(authorizationUrl, UriKind.Absolute);
        var prefix = stopAtPrefix.ToString();
        for (var hop = 1; hop <= MaxHops; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Add(TestAuthorizationServer.UserHeader, user);
            lock (_sync)
            {
                _visited.Add(current);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is null)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"Hop {hop} to {current.GetLeftPart(UriPartial.Path)} answered {status} {response.StatusCode} instead of a redirect. "
                    + $"Body: {Truncate(body, 500)}");
            }

            var location = response.Headers.Location.IsAbsoluteUri
                ? response.Headers.Location
                : new Uri(current, response.Headers.Location);
            if (location.ToString().StartsWith(prefix, StringComparison.Ordinal))
            {
                return location;
            }

            current = location;
        }

        throw new InvalidOperationException($"No redirect to {prefix} within {MaxHops} hops; last was {current.GetLeftPart(UriPartial.Path)}.");
    }

    public void Dispose() => _http.Dispose();

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
