namespace McpGrains.Gateway.Authentication;

/// <summary>Names of the host app authentication scheme and policy.</summary>
public static class HostAppAuthentication
{
    public const string SchemeName = "McpGrainsHostApp";
    public const string PolicyName = "McpGrainsHostApp";
}
