using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Demo;

/// <summary>
/// The demo authorization server's pages (sign-in, consent, errors): a heading, paragraphs and a form, every value
/// HTML-encoded, no script, one inline style sheet allowed by its hash. Styled apart from McpGrains' own pages, so
/// that a walkthrough shows where the user is: the provider's "Demo Identity", not McpGrains.
/// </summary>
internal sealed class DemoPage(int statusCode, string heading, IReadOnlyList<string> paragraphs, string? form = null) : IResult
{
    private const string StyleSheet =
        "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f0ff;color:#241c3d}"
        + "header{background:#5b3cc4;color:#fff;padding:.75rem 1.5rem;font-weight:700}"
        + "main{max-width:28rem;margin:2.5rem auto;padding:1.5rem 2rem;background:#fff;border-radius:10px;box-shadow:0 2px 8px #0002}"
        + "h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}"
        + "input[type=text]{font:inherit;width:100%;box-sizing:border-box;padding:.45rem .6rem;border:1px solid #8b7fb8;border-radius:6px}"
        + ".actions{display:flex;gap:.75rem;margin-top:1.25rem}"
        + "button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #5b3cc4;background:#fff;color:#5b3cc4;cursor:pointer}"
        + "button.primary{background:#5b3cc4;color:#fff;font-weight:600}"
        + "button:focus-visible,input:focus-visible{outline:3px solid #241c3d;outline-offset:2px}"
        + "ul{padding-left:1.25rem}";

    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StyleSheet)))}'; base-uri 'none'; frame-ancestors 'none'";

    public static HtmlEncoder Html => HtmlEncoder.Default;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentType = "text/html; charset=utf-8";
        var page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(Html.Encode(heading)).Append(" - Demo Identity</title>\n<style>").Append(StyleSheet)
            .Append("</style>\n</head>\n<body>\n<header>Demo Identity</header>\n<main>\n<h1>").Append(Html.Encode(heading)).Append("</h1>\n");
        foreach (var paragraph in paragraphs)
        {
            page.Append("<p>").Append(Html.Encode(paragraph)).Append("</p>\n");
        }

        page.Append(form).Append("</main>\n</body>\n</html>\n");
        await response.WriteAsync(page.ToString(), httpContext.RequestAborted);
    }

    public static DemoPage Error(string message) => new(StatusCodes.Status400BadRequest, "This sign-in request cannot be served", [message]);

    /// <summary>A POST form: its hidden fields (already safe values are encoded again), inner HTML, then the buttons.</summary>
    public static string Form(string action, IEnumerable<(string Name, string Value)> hidden, string inner, params (string Value, string Label, bool Primary)[] buttons)
    {
        var form = new StringBuilder("<form method=\"post\" action=\"").Append(Html.Encode(action)).Append("\">\n");
        foreach (var (name, value) in hidden)
        {
            form.Append("<input type=\"hidden\" name=\"").Append(Html.Encode(name)).Append("\" value=\"").Append(Html.Encode(value)).Append("\">\n");
        }

        form.Append(inner).Append("<div class=\"actions\">\n");
        foreach (var (value, label, primary) in buttons)
        {
            form.Append("<button type=\"submit\" name=\"decision\" value=\"").Append(Html.Encode(value)).Append('"')
                .Append(primary ? " class=\"primary\"" : string.Empty).Append('>').Append(Html.Encode(label)).Append("</button>\n");
        }

        return form.Append("</div>\n</form>\n").ToString();
    }
}
