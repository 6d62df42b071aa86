using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using McpGrains.Gateway.Callback;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Pages;

/// <summary>
/// The small HTML pages browsers see at McpGrains (the sign-in confirmation, connected, cancelled and error pages),
/// all rendered by this one class: a heading, paragraphs, an optional list of facts and an optional form. Everything
/// shown is HTML-encoded. No script and no external resource; the one inline style sheet is allowed by its hash, so
/// the Content-Security-Policy can say <c>default-src 'none'</c>. Never cached, never framed, never a Referer source
/// (the URLs of these pages hold tickets, codes and states).
/// </summary>
public sealed class BrowserPage : IResult
{
    private const string StyleSheet =
        "body{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;max-width:38rem;margin:3rem auto;padding:0 1rem;color:#1f2328;background:#fff}"
        + "h1{font-size:1.5rem;line-height:1.3;margin:0 0 1rem}"
        + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1.5rem 0;padding:1rem;border:1px solid #d0d7de;border-radius:6px}"
        + "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}"
        + ".warning{padding:.75rem 1rem;border-left:4px solid #9a6700;background:#fff8c5}"
        + "form{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}"
        + "button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #6e7781;background:#f6f8fa;color:#1f2328;cursor:pointer}"
        + "button.primary{background:#0969da;border-color:#0969da;color:#fff;font-weight:600}"
        + "button:hover{filter:brightness(.95)}"
        + "button:focus-visible{outline:3px solid #1f2328;outline-offset:3px}"
        + ".muted{margin-top:2.5rem;color:#57606a;font-size:.875rem}"
        + "h2{font-size:1.125rem;margin:2rem 0 0}section dl{margin:.75rem 0}section form{margin-top:.75rem}"
        + "a{color:#0969da}a:focus-visible{outline:3px solid #1f2328;outline-offset:2px}";

    /// <summary>
    /// The response's Content-Security-Policy: nothing but the page's own style sheet. No <c>form-action</c>: Chromium
    /// applies it to every redirect that follows a form submission, and Continue's answer is a redirect to the provider
    /// (which may redirect further, to a third party): <c>form-action 'self'</c> blocks the sign-in. The one form posts
    /// to a fixed McpGrains URL and nothing on the page is unencoded, so there is no form to inject.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StyleSheet)))}'; base-uri 'none'; frame-ancestors 'none'";

    public BrowserPage(
        int statusCode,
        string heading,
        IReadOnlyList<string> paragraphs,
        IReadOnlyList<KeyValuePair<string, string>>? facts = null,
        string? warning = null,
        BrowserPageForm? form = null,
        IReadOnlyList<BrowserPageSection>? sections = null,
        BrowserPageLink? link = null)
    {
        StatusCode = statusCode;
        Heading = heading;
        Paragraphs = paragraphs;
        Facts = facts ?? [];
        Warning = warning;
        Form = form;
        Sections = sections ?? [];
        Link = link;
    }

    public int StatusCode { get; }

    public string Heading { get; }

    public IReadOnlyList<string> Paragraphs { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; }

    public string? Warning { get; }

    public BrowserPageForm? Form { get; }

    /// <summary>Parts of the page under their own heading (the connections page: one per server), each with facts and a form.</summary>
    public IReadOnlyList<BrowserPageSection> Sections { get; }

    /// <summary>A link after the paragraphs (the connected page's link to the connections page).</summary>
    public BrowserPageLink? Link { get; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        CallbackResponseHeaders.Apply(response);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Render(), httpContext.RequestAborted);
    }

    internal string Render()
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder(2048);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(html.Encode(Heading)).Append(" - McpGrains</title>\n")
            .Append("<style>").Append(StyleSheet).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(html.Encode(Heading)).Append("</h1>\n");
        foreach (var paragraph in Paragraphs)
        {
            page.Append("<p>").Append(html.Encode(paragraph)).Append("</p>\n");
        }

        AppendFacts(page, html, Facts);
        if (Warning is not null)
        {
            page.Append("<p class=\"warning\">").Append(html.Encode(Warning)).Append("</p>\n");
        }

        AppendForm(page, html, Form);
        foreach (var section in Sections)
        {
            page.Append("<section>\n<h2>").Append(html.Encode(section.Heading)).Append("</h2>\n");
            AppendFacts(page, html, section.Facts);
            AppendForm(page, html, section.Form);
            page.Append("</section>\n");
        }

        if (Link is { } link)
        {
            page.Append("<p><a href=\"").Append(html.Encode(link.Href)).Append("\">").Append(html.Encode(link.Text)).Append("</a></p>\n");
        }

        page.Append("<p class=\"muted\">McpGrains</p>\n</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void AppendFacts(StringBuilder page, HtmlEncoder html, IReadOnlyList<KeyValuePair<string, string>> facts)
    {
        if (facts.Count == 0)
        {
            return;
        }

        page.Append("<dl>\n");
        foreach (var (term, detail) in facts)
        {
            page.Append("<dt>").Append(html.Encode(term)).Append("</dt><dd>").Append(html.Encode(detail)).Append("</dd>\n");
        }

        page.Append("</dl>\n");
    }

    private static void AppendForm(StringBuilder page, HtmlEncoder html, BrowserPageForm? form)
    {
        if (form is null)
        {
            return;
        }

        page.Append("<form method=\"post\" action=\"").Append(html.Encode(form.Action)).Append("\">\n");
        foreach (var (name, value) in form.HiddenFields)
        {
            page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name)).Append("\" value=\"").Append(html.Encode(value)).Append("\">\n");
        }

        AppendButton(page, html, form.PrimaryLabel, form.PrimaryValue, primary: true);
        if (form.SecondaryLabel is not null && form.SecondaryValue is not null)
        {
            AppendButton(page, html, form.SecondaryLabel, form.SecondaryValue, primary: false);
        }

        page.Append("</form>\n");
    }

    private static void AppendButton(StringBuilder page, HtmlEncoder html, string label, string value, bool primary) =>
        page.Append("<button type=\"submit\" name=\"action\" value=\"").Append(html.Encode(value)).Append('"')
            .Append(primary ? " class=\"primary\"" : string.Empty).Append('>').Append(html.Encode(label)).Append("</button>\n");
}
