namespace McpGrains.Grains.Downstream;

/// <summary>The persisted tool catalog of one server for one host app. Property names and ids are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.Grains.ToolCatalogState")]
public sealed class ToolCatalogState
{
    /// <summary>The <c>tools</c> array of the last <c>tools/list</c> a connected user saw, raw JSON.</summary>
    [Id(0)] public string? ToolsJson { get; set; }

    [Id(1)] public DateTimeOffset UpdatedAt { get; set; }
}
