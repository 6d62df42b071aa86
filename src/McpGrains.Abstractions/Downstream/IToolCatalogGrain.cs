using Orleans.Concurrency;

namespace McpGrains.Downstream;

/// <summary>
/// The last tool catalog (the <c>tools</c> array of <c>tools/list</c>, raw JSON) one server showed any connected user of
/// one host app, keyed by <see cref="Key"/>. Before a user signs in, <c>tools/list</c> shows it (with the sign-in tool)
/// so that clients which call tools by saved names (LibreChat agents) reach McpGrains and get the sign-in link.
/// </summary>
[Alias("McpGrains.IToolCatalogGrain")]
public interface IToolCatalogGrain : IGrainWithStringKey
{
    [Alias("GetToolsAsync")]
    Task<string?> GetToolsAsync(CancellationToken cancellationToken = default);

    /// <summary>A connected session listed these tools; stored when they differ from the last ones.</summary>
    [OneWay]
    [Alias("ReportToolsAsync")]
    Task ReportToolsAsync(string toolsJson);

    /// <summary>The grain key of a host app's catalog of a server (both are identifiers without '/').</summary>
    public static string Key(string tenantId, string serverId) => tenantId + "/" + serverId;
}
