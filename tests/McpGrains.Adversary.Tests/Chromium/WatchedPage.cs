using System.Collections.Concurrent;
using PuppeteerSharp;

namespace McpGrains.Adversary.Tests.Chromium;

/// <summary>
/// A tab in its own browser context (its own cookies: one person's browser) that records console errors, script
/// errors and every request, lets only the allowed origins through and aborts the rest.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly HashSet<string> _allowedOrigins;
    private readonly ConcurrentBag<string> _documents = [];

    private WatchedPage(IBrowserContext context, IPage page, IEnumerable<Uri> allowedOrigins)
    {
        _context = context;
        Page = page;
        _allowedOrigins = [.. allowedOrigins.Select(Origin)];
    }

    public IPage Page { get; }

    public ConcurrentQueue<string> Errors { get; } = new();

    public ConcurrentQueue<string> RequestedOrigins { get; } = new();

    public ConcurrentQueue<string> BlockedOrigins { get; } = new();

    /// <param name="user">Sent as the test authorization server's user header: whom the provider signs in.</param>
    public static async Task<WatchedPage> OpenAsync(HeadlessChromium chromium, string user, params Uri[] allowedOrigins)
    {
        var context = await chromium.Browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page, allowedOrigins);
        await page.SetViewportAsync(new ViewPortOptions { Width = 900, Height = 640 });
        await page.SetExtraHttpHeadersAsync(new Dictionary<string, string> { [McpGrains.Testing.TestAuthorizationServer.UserHeader] = user });
        page.Console += (_, e) =>
        {
            // Chromium reports a document's own 4xx status as "Failed to load resource" on the console: that is the
            // error page's intended status, not a resource or script error.
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning or ConsoleType.Assert
                && !(e.Message.Text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal)
                    && e.Message.Location?.URL is { } url && watched._documents.Contains(url)))
            {
                watched.Errors.Enqueue($"console {e.Message.Type}: {e.Message.Text} ({e.Message.Location?.URL})");
            }
        };
        page.Response += (_, e) =>
        {
            if (e.Response.Request.IsNavigationRequest && e.Response.Request.Frame == page.MainFrame)
            {
                watched._documents.Add(e.Response.Url);
            }
        };
        page.PageError += (_, e) => watched.Errors.Enqueue("page error: " + e.Message);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            var origin = Origin(new Uri(e.Request.Url));
            watched.RequestedOrigins.Enqueue(origin);
            if (watched._allowedOrigins.Contains(origin))
            {
                await e.Request.ContinueAsync();
            }
            else
            {
                watched.BlockedOrigins.Enqueue(origin);
                await e.Request.AbortAsync();
            }
        };
        return watched;
    }

    /// <summary>The text of the page's heading.</summary>
    public Task<string> HeadingAsync() => Page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent");

    /// <summary>What has keyboard focus: its tag, the <c>value</c> of a button, and its computed outline style.</summary>
    public Task<string> FocusAsync() =>
        Page.EvaluateExpressionAsync<string>("(() => { const e = document.activeElement; return `${e.tagName} ${e.value ?? ''} ${getComputedStyle(e).outlineStyle}`; })()");

    /// <summary>Presses a key and waits for the navigation it starts to finish (redirects included).</summary>
    public async Task<IResponse> PressAndWaitForNavigationAsync(string key)
    {
        var navigation = Page.WaitForNavigationAsync(new NavigationOptions { Timeout = 30_000 });
        await Page.Keyboard.PressAsync(key);
        return await navigation;
    }

    /// <summary>Saves a screenshot under docs/screenshots (committed: the README shows them).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var directory = Path.Combine(McpGrains.Testing.NodeTools.RepositoryRoot, "docs", "screenshots");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(Path.Combine(directory, name + ".png"), new ScreenshotOptions { FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        await _context.CloseAsync();
    }

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
