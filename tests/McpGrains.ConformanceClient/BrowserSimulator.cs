using System.Net;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Plays the user's browser: the suite's mock authorization server approves at once, so one GET of the authorization
/// URL (redirects not followed) yields a <c>Location</c> with <c>code</c>, <c>state</c> and maybe <c>iss</c>, which is
/// delivered to McpGrains' real callback over HTTP.
/// </summary>
public sealed class BrowserSimulator : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Returns the callback URL the authorization server redirected to, or null with a reason.</summary>
    public async Task<(Uri? Callback, string? Problem)> AuthorizeAsync(Uri authorizationUrl, Uri expectedCallback, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(authorizationUrl, cancellationToken);
        if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
        {
            return (null, $"the authorization endpoint answered {(int)response.StatusCode} without a redirect");
        }

        var location = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(authorizationUrl, response.Headers.Location);
        if (!string.Equals(location.GetLeftPart(UriPartial.Path), expectedCallback.GetLeftPart(UriPartial.Path), StringComparison.Ordinal))
        {
            return (null, "the authorization endpoint redirected somewhere other than the callback");
        }

        return (location, null);
    }

    /// <summary>Delivers the authorization response to McpGrains' callback endpoint; true when it reports success.</summary>
    public async Task<(bool Succeeded, HttpStatusCode Status, string Body)> DeliverAsync(Uri callback, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(callback, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.IsSuccessStatusCode, response.StatusCode, body);
    }

    public void Dispose() => _http.Dispose();
}
