using System.Text.RegularExpressions;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// Recognizes a user id that is a host app's template placeholder left unfilled, such as LibreChat's
/// <c>{{LIBRECHAT_USER_ID}}</c>: a misconfigured host app would send the same literal for every user, giving all of
/// them one identity (and one user's connected accounts to all). Checked also after percent-decoding, once or twice,
/// since host apps and proxies encode it on the way.
/// </summary>
internal static partial class UserIdPlaceholder
{
    private const int MaxDecodings = 2;

    public static bool IsUnresolved(string userId)
    {
        var candidate = userId;
        for (var decodings = 0; ; decodings++)
        {
            if (Placeholder().IsMatch(candidate))
            {
                return true;
            }

            if (decodings == MaxDecodings || !candidate.Contains('%', StringComparison.Ordinal))
            {
                return false;
            }

            candidate = Uri.UnescapeDataString(candidate);
        }
    }

    [GeneratedRegex(@"\{\{[^{}]*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
