namespace McpGrains.OAuth;

/// <summary>Renders URLs for logs and error messages without query strings or fragments (they may carry secrets).</summary>
internal static class SafeUrl
{
    public static string Format(Uri? uri)
    {
        if (uri is null)
        {
            return "(none)";
        }

        if (!uri.IsAbsoluteUri)
        {
            return "(relative url)";
        }

        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    public static string Format(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Format(uri) : "(invalid url)";
}
