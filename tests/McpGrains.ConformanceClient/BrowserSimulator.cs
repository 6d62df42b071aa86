using System.Net;
using McpGrains.Testing;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Plays the user's browser: McpGrains' sign-in link (its confirmation page, Continue with the anti-forgery token, the
/// browser-binding cookie), then the suite's mock authorization server, which approves at once, so one GET of its
/// authorization URL (redirects not followed) yields a <c>Location</c> with <c>code</c>, <c>state</c> and maybe
/// <c>iss</c>; that is delivered to McpGrains' real callback over HTTP with the browser's cookies.
/// </summary>
public sealed class BrowserSimulator : IDisposable
{
    private readonly TestBrowser _browser = new();

    /// <summary>Returns the callback URL the authorization server redirected to, or null with a reason.</summary>
    public async Task<(Uri? Callback, string? Problem)> AuthorizeAsync(Uri signInLink, Uri expectedCallback, CancellationToken cancellationToken)
    {
        try
        {
            return (await _browser.SignInAsync(signInLink.ToString(), expectedCallback, cancellationToken: cancellationToken), null);
        }
        catch (InvalidOperationException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Delivers the authorization response to McpGrains' callback endpoint; true when it reports success.</summary>
    public async Task<(bool Succeeded, HttpStatusCode Status, string Body)> DeliverAsync(Uri callback, CancellationToken cancellationToken)
    {
        using var response = await _browser.GetAsync(callback, cancellationToken: cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.IsSuccessStatusCode, response.StatusCode, body);
    }

    public void Dispose() => _browser.Dispose();
}
