using System.Collections.Concurrent;
using McpGrains.Downstream;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The downstream sessions this front end has resolved, by session hash. An entry is used without asking the cluster
/// for <see cref="Freshness"/>; the session's grain tells this front end when the session ends, and a stale entry is
/// asked about again, which also counts as use for the session's idle expiry.
/// </summary>
internal sealed class DownstreamSessionCache
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    /// <summary>Entries unused this long are dropped by <see cref="Sweep"/>.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGetFresh(string sessionHash, DateTimeOffset now, out DownstreamSessionInfo? info)
    {
        if (_entries.TryGetValue(sessionHash, out var entry) && now - entry.ValidatedAt < Freshness)
        {
            info = entry.Info;
            return true;
        }

        info = null;
        return false;
    }

    public void Remember(string sessionHash, DownstreamSessionInfo info, DateTimeOffset now) => _entries[sessionHash] = new Entry(info, now);

    public void Forget(string sessionHash) => _entries.TryRemove(sessionHash, out _);

    public void Sweep(DateTimeOffset now)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (now - entry.ValidatedAt > Retention)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(DownstreamSessionInfo Info, DateTimeOffset ValidatedAt);
}
