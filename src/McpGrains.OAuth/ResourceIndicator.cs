namespace McpGrains.OAuth;

/// <summary>The canonical MCP server URI used as RFC 8707 <c>resource</c> and compared with the PRM <c>resource</c>.</summary>
public static class ResourceIndicator
{
    /// <summary>
    /// Lowercase scheme and host, default port removed, no fragment, path (and query) kept as is; a bare <c>/</c> path
    /// becomes empty: <c>https://mcp.example.com</c>, <c>https://mcp.example.com/mcp</c>.
    /// </summary>
    public static string Canonicalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The resource URI must be absolute.", nameof(uri));
        }

        var query = uri.GetComponents(UriComponents.Query | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        return Origin(uri) + CanonicalPath(uri) + query;
    }

    /// <summary>
    /// True when <paramref name="prmResource"/> names <paramref name="mcpUrl"/>: canonical equality (a trailing slash
    /// aside), or the same origin (scheme, host, port) with a path that is a prefix of the MCP URL's path at a
    /// segment boundary (<c>https://h</c> and <c>https://h/a</c> cover <c>https://h/a/b</c>; <c>https://h/ab</c> does
    /// not cover <c>https://h/abc</c>). A resource with a query must equal the MCP URL.
    /// </summary>
    public static bool Matches(string? prmResource, Uri mcpUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpUrl);
        if (string.IsNullOrEmpty(prmResource) || !Uri.TryCreate(prmResource, UriKind.Absolute, out var resourceUri))
        {
            return false;
        }

        var left = Canonicalize(resourceUri);
        var right = Canonicalize(mcpUrl);
        if (string.Equals(left, right, StringComparison.Ordinal)
            || string.Equals(left.TrimEnd('/'), right.TrimEnd('/'), StringComparison.Ordinal))
        {
            return true;
        }

        if (resourceUri.Query.Length > 0 || !string.Equals(Origin(resourceUri), Origin(mcpUrl), StringComparison.Ordinal))
        {
            return false;
        }

        var resourcePath = CanonicalPath(resourceUri).TrimEnd('/');
        var mcpPath = CanonicalPath(mcpUrl).TrimEnd('/');
        return resourcePath.Length == 0
            || string.Equals(resourcePath, mcpPath, StringComparison.Ordinal)
            || mcpPath.StartsWith(resourcePath + "/", StringComparison.Ordinal);
    }

    /// <summary>Lowercase scheme and host, explicit port only when not the default.</summary>
    private static string Origin(Uri uri)
    {
        var scheme = uri.Scheme.ToLowerInvariant();
        var host = uri.Host.ToLowerInvariant();
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return scheme + "://" + host + port;
    }

    private static string CanonicalPath(Uri uri)
    {
        var path = uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        return path == "/" ? string.Empty : path;
    }
}
