using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Callback;

/// <summary>
/// The small HTML page a browser sees at the end of an authorization when there is no return URL to go back to.
/// Everything shown is HTML-encoded and comes from configuration or a <see cref="SessionError"/> message, never from
/// the query string.
/// </summary>
public sealed class CallbackPage : IResult
{
    private CallbackPage(int statusCode, string heading, string detail)
    {
        StatusCode = statusCode;
        Heading = heading;
        Detail = detail;
    }

    public int StatusCode { get; }

    public string Heading { get; }

    public string Detail { get; }

    public static CallbackPage Invalid() => new(
        StatusCodes.Status400BadRequest,
        "This sign-in link is invalid",
        "Go back to the application and start the sign-in again.");

    public static CallbackPage Expired() => new(
        StatusCodes.Status400BadRequest,
        "This sign-in has expired",
        "The sign-in took too long. Go back to the application and start it again.");

    public static CallbackPage Connected(string serverName) => new(
        StatusCodes.Status200OK,
        $"Connected to {serverName}",
        "You can close this window and return to the application.");

    public static CallbackPage NotConnected(string message) => new(
        StatusCodes.Status400BadRequest,
        $"Not connected: {message}",
        "Go back to the application and try again.");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        CallbackResponseHeaders.Apply(response);
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Render(), httpContext.RequestAborted);
    }

    internal string Render()
    {
        var encoder = HtmlEncoder.Default;
        var heading = encoder.Encode(Heading);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{heading}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}</style>
            </head>
            <body>
            <h1>{{heading}}</h1>
            <p>{{encoder.Encode(Detail)}}</p>
            </body>
            </html>
            """;
    }
}
