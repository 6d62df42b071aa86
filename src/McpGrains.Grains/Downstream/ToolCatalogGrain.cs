using System.Text.Json;
using McpGrains.Downstream;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// A host app's last known tool catalog of one server (see <see cref="IToolCatalogGrain"/>). Written only when it
/// changes; when it does, each tool whose LibreChat name <c>{tool}_mcp_{server}</c> cannot be a model-facing tool name
/// (64 characters of <c>[A-Za-z0-9_-]</c>) is logged once as a warning.
/// </summary>
public sealed partial class ToolCatalogGrain(
    [PersistentState("tool-catalog", McpGrainsStorage.Name)] IPersistentState<ToolCatalogState> state,
    TimeProvider time,
    ILogger<ToolCatalogGrain> logger) : Grain, IToolCatalogGrain
{
    /// <summary>Model-facing tool names of OpenAI-style providers: at most this long, of <see cref="IsToolNameCharacter"/>.</summary>
    public const int MaxToolNameLength = 64;

    /// <summary>How LibreChat names an MCP tool for the model: <c>{tool}{separator}{server}</c>.</summary>
    public const string LibreChatSeparator = "_mcp_";

    public Task<string?> GetToolsAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.ToolsJson);

    public async Task ReportToolsAsync(string toolsJson)
    {
        if (string.Equals(toolsJson, state.State.ToolsJson, StringComparison.Ordinal))
        {
            return;
        }

        state.State.ToolsJson = toolsJson;
        state.State.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        var key = this.GetPrimaryKeyString();
        var serverId = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
        LogUpdated(logger, key, toolsJson.Length);
        WarnAboutNames(toolsJson, serverId);
    }

    public static bool IsToolNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>True when <paramref name="name"/> is a valid model-facing tool name.</summary>
    public static bool FitsModelToolName(string name) => name.Length is > 0 and <= MaxToolNameLength && name.All(IsToolNameCharacter);

    private void WarnAboutNames(string toolsJson, string serverId)
    {
        using var document = JsonDocument.Parse(toolsJson);
        foreach (var tool in document.RootElement.EnumerateArray())
        {
            if (tool.TryGetProperty("name", out var name) && name.GetString() is { } toolName
                && !FitsModelToolName(toolName + LibreChatSeparator + serverId))
            {
                LogToolNameTooLong(logger, serverId, toolName, toolName.Length + LibreChatSeparator.Length + serverId.Length);
            }
        }
    }

    [LoggerMessage(LogEvents.ToolCatalogUpdated, LogLevel.Information, "Tool catalog {CatalogKey} updated ({Length} bytes)")]
    private static partial void LogUpdated(ILogger logger, string catalogKey, int length);

    [LoggerMessage(LogEvents.ToolNameTooLong, LogLevel.Warning, "Server {ServerId}: tool {ToolName} as a LibreChat tool name (<tool>_mcp_<server>, {Length} characters) does not fit 64 characters of [A-Za-z0-9_-]; models of OpenAI-style providers cannot call it")]
    private static partial void LogToolNameTooLong(ILogger logger, string serverId, string toolName, int length);
}
