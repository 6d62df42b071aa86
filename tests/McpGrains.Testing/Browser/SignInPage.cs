using System.Net;
using System.Text.RegularExpressions;

namespace McpGrains.Testing;

/// <summary>
/// An HTML page of McpGrains as a browser received it: its status, heading and, on the confirmation page, the form
/// with its hidden fields (the anti-forgery token). Parsed from McpGrains' own markup, which is fixed and encoded.
/// </summary>
public sealed partial record SignInPage(Uri Address, HttpStatusCode Status, string Html)
{
    /// <summary>The text of the page's one <c>h1</c>, HTML-decoded; null when there is none.</summary>
    public string? Heading => HeadingPattern().Match(Html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    /// <summary>Where the form posts to (absolute), or null when the page has no form.</summary>
    public Uri? FormAction => FormPattern().Match(Html) is { Success: true } match
        ? new Uri(Address, WebUtility.HtmlDecode(match.Groups[1].Value))
        : null;

    /// <summary>The form's hidden inputs by name.</summary>
    public IReadOnlyDictionary<string, string> HiddenFields =>
        HiddenPattern().Matches(Html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value), StringComparer.Ordinal);

    /// <summary>The values of the form's submit buttons (e.g. continue, cancel), in document order.</summary>
    public IReadOnlyList<string> Buttons => [.. ButtonPattern().Matches(Html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The page's visible text, tags removed and entities decoded (for "does the page name X" checks).</summary>
    public string Text => WebUtility.HtmlDecode(TagPattern().Replace(Html, " "));

    [GeneratedRegex("<h1[^>]*>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex("<form[^>]*\\baction=\"([^\"]*)\"")]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenPattern();

    [GeneratedRegex("<button[^>]*\\bname=\"action\" value=\"([^\"]*)\"")]
    private static partial Regex ButtonPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
