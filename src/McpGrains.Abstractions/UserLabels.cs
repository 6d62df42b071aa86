namespace McpGrains;

/// <summary>
/// The label a host app gives a user (header <c>X-User-Label</c> on <c>/mcp</c>, <c>userLabel</c> in the authorize
/// body), shown on the sign-in confirmation page as the account the link connects. Text for people, never a key.
/// </summary>
public static class UserLabels
{
    public const int MaxLength = 200;

    /// <summary>1 to <see cref="MaxLength"/> characters, not only whitespace, no control characters.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxLength && !value.Any(char.IsControl);

    /// <summary>
    /// The label to record: null for none, and null for an unresolved host-app placeholder such as
    /// <c>{{LIBRECHAT_USER_EMAIL}}</c> (the page then names the user id rather than the placeholder). False when the
    /// value is present but not a valid label.
    /// </summary>
    public static bool TryNormalize(string? value, out string? label)
    {
        label = null;
        if (value is null || value.Length == 0)
        {
            return true;
        }

        if (!IsValid(value))
        {
            return false;
        }

        var trimmed = value.Trim();
        label = trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal) ? null : trimmed;
        return true;
    }
}
