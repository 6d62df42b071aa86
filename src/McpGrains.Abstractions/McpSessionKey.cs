using System.Diagnostics.CodeAnalysis;

namespace McpGrains;

/// <summary>
/// Identifies one (tenant, user, upstream server) pair: the key of its session grain.
/// <see cref="Format"/> and <see cref="Parse"/> are the only code that builds or splits key strings.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.McpSessionKey")]
public readonly record struct McpSessionKey
{
    private const char Separator = '/';

    public McpSessionKey(string tenantId, string userId, string serverId)
    {
        if (!Identifiers.IsValidTenantId(tenantId))
        {
            throw new ArgumentException("Tenant ids are 1 to 64 characters: letters, digits, '.', '_' or '-'.", nameof(tenantId));
        }

        if (!Identifiers.IsValidUserId(userId))
        {
            throw new ArgumentException("User ids are 1 to 256 characters without control characters.", nameof(userId));
        }

        if (!Identifiers.IsValidServerId(serverId))
        {
            throw new ArgumentException("Server ids are 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(serverId));
        }

        TenantId = tenantId;
        UserId = userId;
        ServerId = serverId;
    }

    [Id(0)] public string TenantId { get; }

    [Id(1)] public string UserId { get; }

    [Id(2)] public string ServerId { get; }

    /// <summary>Escapes each part so that the separator can never appear inside one.</summary>
    public string Format() =>
        string.Concat(Uri.EscapeDataString(TenantId), Separator.ToString(), Uri.EscapeDataString(UserId), Separator.ToString(), Uri.EscapeDataString(ServerId));

    public static McpSessionKey Parse(string value) =>
        TryParse(value, out var key) ? key : throw new FormatException("The value is not a formatted session key.");

    public static bool TryParse([NotNullWhen(true)] string? value, out McpSessionKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var parts = value.Split(Separator);
        if (parts.Length != 3)
        {
            return false;
        }

        string tenant, user, server;
        try
        {
            tenant = Uri.UnescapeDataString(parts[0]);
            user = Uri.UnescapeDataString(parts[1]);
            server = Uri.UnescapeDataString(parts[2]);
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (!Identifiers.IsValidTenantId(tenant) || !Identifiers.IsValidUserId(user) || !Identifiers.IsValidServerId(server))
        {
            return false;
        }

        key = new McpSessionKey(tenant, user, server);
        return key.Format() == value;
    }

    public override string ToString() => Format();
}
