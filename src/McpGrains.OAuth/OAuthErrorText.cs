using System.Text;

namespace McpGrains.OAuth;

/// <summary>
/// What an authorization server says about an error is untrusted text: it reaches errors and logs only as a bounded
/// error code (RFC 6749 section 5.2 codes are short tokens) and a sanitized, bounded description.
/// </summary>
public static class OAuthErrorText
{
    public const int MaxCodeLength = 64;

    public const int MaxDescriptionLength = 200;

    /// <summary>
    /// <paramref name="error"/> when it is a plausible error code (1-64 of <c>A-Z a-z 0-9 _ . -</c>, which every
    /// registered code is), else <see cref="TokenResult.InvalidResponse"/>.
    /// </summary>
    public static string Code(string? error) => TryCode(error) ?? TokenResult.InvalidResponse;

    /// <summary><paramref name="error"/> when it is a plausible error code, else null.</summary>
    public static string? TryCode(string? error) =>
        error is { Length: > 0 and <= MaxCodeLength } && error.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? error
            : null;

    /// <summary>
    /// An error description fit to show: control characters replaced by spaces, cut to
    /// <see cref="MaxDescriptionLength"/> characters; null when nothing is left.
    /// </summary>
    public static string? Description(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(description.Length, MaxDescriptionLength));
        foreach (var c in description)
        {
            if (builder.Length == MaxDescriptionLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? ' ' : c);
        }

        var text = builder.ToString().Trim();
        return text.Length == 0 ? null : text;
    }
}
