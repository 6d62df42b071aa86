using McpGrains.Configuration;
using McpGrains.Downstream;
using McpGrains.Telemetry;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// One host app's open downstream sessions (see <see cref="IDownstreamSessionQuotaGrain"/>). Nothing is persisted: the
/// sessions are, and each renews its place on its idle check, so a count lost with its silo is whole again within one
/// idle check period, and a place whose release was lost lapses after a few. Never collected for idleness. The open
/// sessions metric is kept here too, where the count is: summed over the silos it is the cluster's count.
/// </summary>
[KeepAlive]
public sealed class DownstreamSessionQuotaGrain(IOptions<McpGrainsOptions> options, TimeProvider time, McpGrainsMetrics metrics) : Grain, IDownstreamSessionQuotaGrain
{
    private readonly LimitsOptions _limits = options.Value.Limits;
    private readonly TimeSpan _placeLifetime = (DownstreamSessionGrain.IdleCheckPeriod(options.Value.Downstream) * 3) + TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Place> _places = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);

    public Task<DownstreamSessionLimit?> TryReserveAsync(string sessionHash, McpSessionKey key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionHash);
        var userId = key.UserId;
        var now = time.GetUtcNow();
        if (_places.ContainsKey(sessionHash))
        {
            Take(sessionHash, key, now);
            return Task.FromResult<DownstreamSessionLimit?>(null);
        }

        if (_places.Count >= _limits.MaxDownstreamSessionsPerHostApp || _perUser.GetValueOrDefault(userId) >= _limits.MaxDownstreamSessionsPerUser)
        {
            // At a cap: places whose sessions stopped renewing them go first.
            DropLapsed(now);
        }

        if (_places.Count >= _limits.MaxDownstreamSessionsPerHostApp)
        {
            return Task.FromResult<DownstreamSessionLimit?>(new(nameof(LimitsOptions.MaxDownstreamSessionsPerHostApp), _limits.MaxDownstreamSessionsPerHostApp));
        }

        if (_perUser.GetValueOrDefault(userId) >= _limits.MaxDownstreamSessionsPerUser)
        {
            return Task.FromResult<DownstreamSessionLimit?>(new(nameof(LimitsOptions.MaxDownstreamSessionsPerUser), _limits.MaxDownstreamSessionsPerUser));
        }

        Take(sessionHash, key, now);
        return Task.FromResult<DownstreamSessionLimit?>(null);
    }

    public Task RenewAsync(string sessionHash, McpSessionKey key)
    {
        Take(sessionHash, key, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        Free(sessionHash);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The count leaves this silo; the next activation counts the sessions again as they renew.
        foreach (var hash in _places.Keys.ToList())
        {
            Free(hash);
        }

        return Task.CompletedTask;
    }

    /// <summary>Takes or renews the session's place (a renewal never counts twice).</summary>
    private void Take(string sessionHash, McpSessionKey key, DateTimeOffset now)
    {
        if (!_places.ContainsKey(sessionHash))
        {
            _perUser[key.UserId] = _perUser.GetValueOrDefault(key.UserId) + 1;
            metrics.DownstreamSessionOpened(key.TenantId, key.ServerId);
        }

        _places[sessionHash] = new Place(key, now + _placeLifetime);
    }

    private void DropLapsed(DateTimeOffset now)
    {
        foreach (var (hash, _) in _places.Where(entry => entry.Value.LapsesAt <= now).ToList())
        {
            Free(hash);
        }
    }

    private void Free(string sessionHash)
    {
        if (!_places.Remove(sessionHash, out var place))
        {
            return;
        }

        metrics.DownstreamSessionClosed(place.Key.TenantId, place.Key.ServerId);
        var count = _perUser.GetValueOrDefault(place.Key.UserId) - 1;
        if (count <= 0)
        {
            _perUser.Remove(place.Key.UserId);
        }
        else
        {
            _perUser[place.Key.UserId] = count;
        }
    }

    private readonly record struct Place(McpSessionKey Key, DateTimeOffset LapsesAt);
}
