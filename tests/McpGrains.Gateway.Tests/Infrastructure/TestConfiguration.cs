using System.Security.Cryptography;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>A valid McpGrains configuration with two host apps and two servers; tests change single keys.</summary>
public static class TestConfiguration
{
    public const string AppOne = "app-one";
    public const string AppOneKey = "app-one-key-0123456789abcdef";
    public const string AppTwo = "app-two";
    public const string AppTwoKey = "app-two-key-0123456789abcdef";
    public const string AllowedReturnBase = "https://chat.example/";

    public static Dictionary<string, string?> Create() => new()
    {
        ["McpGrains:PublicBaseUrl"] = "https://mcpgrains.example",
        ["McpGrains:Servers:beta:Url"] = "https://beta.example/mcp",
        ["McpGrains:Servers:beta:DisplayName"] = "Beta <Tools>",
        ["McpGrains:Servers:alpha:Url"] = "https://alpha.example/mcp",
        ["McpGrains:Servers:alpha:Transport"] = "streamable-http",
        [$"McpGrains:HostApps:{AppOne}:ApiKey"] = AppOneKey,
        [$"McpGrains:HostApps:{AppTwo}:ApiKey"] = AppTwoKey,
        ["McpGrains:Security:AllowedReturnUrls:0"] = AllowedReturnBase,
        ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["McpGrains:Security:ActiveKeyId"] = "k1",
    };
}
