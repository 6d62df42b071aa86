namespace McpGrains.Configuration;

/// <summary>Matches return URLs against <see cref="SecurityOptions.AllowedReturnUrls"/>: no open redirect.</summary>
public sealed class ReturnUrlAllowList
{
    private readonly Uri[] _entries;

    public ReturnUrlAllowList(IEnumerable<string> entries)
    {
        _entries = entries
            .Select(e => Uri.TryCreate(e, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToArray();
    }

    public bool IsAllowed(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048
            || !Uri.TryCreate(returnUrl, UriKind.Absolute, out var candidate)
            || candidate.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(candidate.UserInfo))
        {
            return false;
        }

        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Scheme, candidate.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(entry.IdnHost, candidate.IdnHost, StringComparison.OrdinalIgnoreCase)
                && entry.Port == candidate.Port
                && PathMatches(entry.AbsolutePath, candidate.AbsolutePath))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PathMatches(string allowed, string candidate)
    {
        if (allowed == "/" || string.Equals(allowed, candidate, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = allowed.EndsWith('/') ? allowed : allowed + "/";
        return candidate.StartsWith(prefix, StringComparison.Ordinal);
    }
}
