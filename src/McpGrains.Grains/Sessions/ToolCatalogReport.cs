using System.Text.Json;
using McpGrains.Downstream;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Sessions;

/// <summary>A first page of tools a connected user saw becomes the host app's catalog, shown before others sign in.</summary>
internal sealed class ToolCatalogReport(IToolCatalogGrain catalog)
{
    /// <summary>The last tool list reported, to report only changes.</summary>
    private string? _reported;

    public async Task OnAnsweredAsync(UpstreamRequest request, UpstreamResult result)
    {
        if (request.Method != RequestMethods.ToolsList || result.Outcome != UpstreamOutcome.Success || request.ParamsJson?.Contains("\"cursor\"", StringComparison.Ordinal) == true
            || string.Equals(result.ResultJson, _reported, StringComparison.Ordinal))
        {
            return;
        }

        _reported = result.ResultJson;
        using var document = JsonDocument.Parse(result.ResultJson!);
        if (document.RootElement.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            await catalog.ReportToolsAsync(tools.GetRawText());
        }
    }
}
