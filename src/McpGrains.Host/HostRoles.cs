using Microsoft.Extensions.Configuration;

namespace McpGrains.Host;

public static class HostRoles
{
    public const string ConfigurationKey = "McpGrains:Role";

    /// <summary>Reads <c>McpGrains:Role</c> (all, silo or frontend); anything else stops the process with a clear message.</summary>
    public static HostRole Read(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey];
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "all" => HostRole.All,
            "silo" => HostRole.Silo,
            "frontend" => HostRole.Frontend,
            _ => throw new InvalidOperationException($"{ConfigurationKey} must be one of all, silo, frontend (was '{value}')."),
        };
    }

    public static bool HasSilo(this HostRole role) => role is HostRole.All or HostRole.Silo;

    public static bool HasFrontend(this HostRole role) => role is HostRole.All or HostRole.Frontend;
}
