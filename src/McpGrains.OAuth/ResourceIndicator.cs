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

        var scheme = uri.Scheme.ToLowerInvariant();
        var host = uri.Host.ToLowerInvariant();
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        if (path == "/")
        {
            path = string.Empty;
        }

        var query = uri.GetComponents(UriComponents.Query | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        return scheme + "://" + host + port + path + query;
    }

    /// <summary>True when <paramref name="prmResource"/> names <paramref name="mcpUrl"/> (canonical equality, or a
    /// difference of a trailing slash only).</summary>
    public static bool Matches(string? prmResource, Uri mcpUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpUrl);
        if (string.IsNullOrEmpty(prmResource) || !Uri.TryCreate(prmResource, UriKind.Absolute, out var resourceUri))
        {
            return false;
        }

        var left = Canonicalize(resourceUri);
        var right = Canonicalize(mcpUrl);
        return string.Equals(left, right, StringComparison.Ordinal)
            || string.Equals(left.TrimEnd('/'), right.TrimEnd('/'), StringComparison.Ordinal);
    }
}
