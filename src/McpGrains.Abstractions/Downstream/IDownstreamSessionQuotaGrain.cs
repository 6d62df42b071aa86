namespace McpGrains.Downstream;

/// <summary>
/// The open downstream MCP sessions of one host app across the cluster, counted per host app and per user (all
/// servers) against <c>McpGrains:Limits:MaxDownstreamSessionsPer*</c>; keyed by the host app (tenant) id. A session
/// takes a place when it starts and gives it back when it ends (DELETE or idle expiry); over a cap it is refused, and
/// nobody's session is closed to make room. The count lives in memory and is kept true by the sessions themselves:
/// each renews its place on its periodic idle check, and a place not renewed for a few of those periods lapses.
/// </summary>
[Alias("McpGrains.IDownstreamSessionQuotaGrain")]
public interface IDownstreamSessionQuotaGrain : IGrainWithStringKey
{
    /// <summary>A place for session <paramref name="sessionHash"/> bound to <paramref name="key"/>: null when taken, else the cap that refused it.</summary>
    [Alias("TryReserveAsync")]
    Task<DownstreamSessionLimit?> TryReserveAsync(string sessionHash, McpSessionKey key, CancellationToken cancellationToken = default);

    /// <summary>The session still exists: keeps its place (or takes it again, whatever the caps, after this count was lost).</summary>
    [Orleans.Concurrency.OneWay]
    [Alias("RenewAsync")]
    Task RenewAsync(string sessionHash, McpSessionKey key);

    /// <summary>The session ended: its place is free.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string sessionHash, CancellationToken cancellationToken = default);
}
