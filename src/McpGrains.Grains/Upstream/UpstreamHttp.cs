namespace McpGrains.Grains.Upstream;

/// <summary>The named HttpClient handler pipeline upstream MCP connections use.</summary>
public static class UpstreamHttp
{
    public const string ClientName = "mcpgrains-upstream";
}
