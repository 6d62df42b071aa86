using McpGrains.Configuration;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The open downstream MCP sessions of this node, counted per host app and per user (across servers), against
/// <c>McpGrains:Limits:MaxDownstreamSessionsPer*</c>. A new session takes a place before it is created and gives it
/// back when it ends; over a cap it is refused, and nobody else's session is closed to make room. All the cap logic
/// is here, so that it can move (e.g. to a cluster-wide count) without touching the endpoint.
/// </summary>
internal sealed class DownstreamSessionQuota(IOptions<McpGrainsOptions> options)
{
    private readonly LimitsOptions _limits = options.Value.Limits;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, int> _perHostApp = new(StringComparer.Ordinal);
    private readonly Dictionary<(string HostApp, string UserId), int> _perUser = [];

    /// <summary>A place for a new session of <paramref name="key"/>, or null with the cap that refused it (its configuration key and value).</summary>
    public DownstreamSessionLease? TryReserve(McpSessionKey key, out (string LimitKey, int Limit) refusal)
    {
        lock (_sync)
        {
            var user = (key.TenantId, key.UserId);
            if (_perHostApp.GetValueOrDefault(key.TenantId) >= _limits.MaxDownstreamSessionsPerHostApp)
            {
                refusal = (nameof(LimitsOptions.MaxDownstreamSessionsPerHostApp), _limits.MaxDownstreamSessionsPerHostApp);
                return null;
            }

            if (_perUser.GetValueOrDefault(user) >= _limits.MaxDownstreamSessionsPerUser)
            {
                refusal = (nameof(LimitsOptions.MaxDownstreamSessionsPerUser), _limits.MaxDownstreamSessionsPerUser);
                return null;
            }

            _perHostApp[key.TenantId] = _perHostApp.GetValueOrDefault(key.TenantId) + 1;
            _perUser[user] = _perUser.GetValueOrDefault(user) + 1;
            refusal = default;
            return new DownstreamSessionLease(this, key);
        }
    }

    internal void Release(McpSessionKey key)
    {
        lock (_sync)
        {
            Decrement(_perHostApp, key.TenantId);
            Decrement(_perUser, (key.TenantId, key.UserId));
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        var count = counts.GetValueOrDefault(key) - 1;
        if (count <= 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }
}
