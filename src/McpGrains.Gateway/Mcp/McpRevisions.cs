namespace McpGrains.Gateway.Mcp;

/// <summary>The MCP revisions <c>/mcp/{serverId}</c> speaks, and what each implies.</summary>
internal static class McpRevisions
{
    public const string Latest = "2026-07-28";
    public const string LatestWithSessions = "2025-11-25";

    /// <summary>Revisions negotiated with <c>initialize</c>: the session ones.</summary>
    public static readonly string[] WithSessions = ["2024-11-05", "2025-03-26", "2025-06-18", LatestWithSessions];

    /// <summary>Revisions with per-request metadata and no session (<c>server/discover</c>).</summary>
    public static readonly string[] Stateless = [Latest];

    public static readonly string[] All = [.. WithSessions, .. Stateless];

    public static bool IsSupported(string? version) => version is not null && All.Contains(version);

    /// <summary>2026-07-28 and later: no session, per-request <c>_meta</c>, server requests as input-required results.</summary>
    public static bool IsStateless(string? version) => version is not null && string.CompareOrdinal(version, Latest) >= 0;

    /// <summary>The client's revision when this server speaks it, else the newest session revision (the client may then disconnect).</summary>
    public static string Negotiate(string? requested) =>
        requested is not null && WithSessions.Contains(requested) ? requested : LatestWithSessions;

    /// <summary>Methods a stateless (2026-07-28) client may not use: they belong to sessions.</summary>
    public static bool IsRemovedInStateless(string method) =>
        method is "initialize" or "ping" or "logging/setLevel" or "resources/subscribe" or "resources/unsubscribe";
}
