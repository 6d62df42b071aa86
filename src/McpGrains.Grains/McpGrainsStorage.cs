namespace McpGrains.Grains;

/// <summary>The grain storage provider every McpGrains grain persists to.</summary>
public static class McpGrainsStorage
{
    public const string Name = "mcpgrains";
}
