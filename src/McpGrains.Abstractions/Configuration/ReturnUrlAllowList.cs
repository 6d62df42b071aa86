using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace McpGrains.Configuration;

/// <summary>
/// Matches return URLs against <see cref="SecurityOptions.AllowedReturnUrls"/>: no open redirect. A URL is compared,
/// stored and redirected to in one normalized form (lower-case scheme and host, IDN host in punycode, default port
/// dropped, dot segments removed, everything else percent-escaped), so that what was checked is what the browser gets.
/// Text that parsers read differently is refused outright: backslashes, whitespace and control characters, and
/// percent-encoded slashes, backslashes and control characters.
/// </summary>
public sealed partial class ReturnUrlAllowList
{
    public const int MaxLength = 2048;

    private readonly Uri[] _entries;

    public ReturnUrlAllowList(IEnumerable<string> entries)
    {
        _entries = entries
            .Select(e => Uri.TryCreate(e, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToArray();
    }

    public bool IsAllowed(string? returnUrl) => TryNormalize(returnUrl, out _);

    /// <summary>True when <paramref name="returnUrl"/> is allowed; <paramref name="normalized"/> is then the form to store and redirect to.</summary>
    public bool TryNormalize(string? returnUrl, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > MaxLength
            || returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            || AmbiguousEscape().IsMatch(returnUrl)
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
                normalized = Normalize(candidate);
                return true;
            }
        }

        return false;
    }

    private static string Normalize(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost.ToLowerInvariant();
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{uri.Scheme}://{host}{port}{uri.PathAndQuery}{uri.Fragment}";
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

    /// <summary>Encoded '/', '\' and control characters: decoded differently by different servers and proxies.</summary>
    [GeneratedRegex("%(2[fF]|5[cC]|[01][0-9a-fA-F]|7[fF])")]
    private static partial Regex AmbiguousEscape();
}
