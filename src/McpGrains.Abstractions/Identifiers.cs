namespace McpGrains;

/// <summary>Validation rules for the identifiers that appear in paths and grain keys.</summary>
public static class Identifiers
{
    public const int MaxUserIdLength = 256;
    public const int MaxNameLength = 64;

    /// <summary>Server ids and tenant (host app) names: 1-64 of [A-Za-z0-9._-], starting with a letter or digit.</summary>
    public static bool IsValidServerId(string? value) => IsValidName(value);

    public static bool IsValidTenantId(string? value) => IsValidName(value);

    /// <summary>User ids are opaque to McpGrains: 1-256 characters, no control characters, not only whitespace.</summary>
    public static bool IsValidUserId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxUserIdLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxNameLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
