using McpGrains.Configuration;
using McpGrains.Downstream;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// One host app's open downstream sessions (see <see cref="IDownstreamSessionQuotaGrain"/>). Nothing is persisted: the
/// sessions are, and each renews its place on its idle check, so a count lost with its silo is whole again within one
/// idle check period, and a place whose release was lost lapses after a few. Never collected for idleness.
/// </summary>
[KeepAlive]
public sealed class DownstreamSessionQuotaGrain(IOptions<McpGrainsOptions> options, TimeProvider time) : Grain, IDownstreamSessionQuotaGrain
{
    private readonly LimitsOptions _limits = options.Value.Limits;
    private readonly TimeSpan _placeLifetime = (DownstreamSessionGrain.IdleCheckPeriod(options.Value.Downstream) * 3) + TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Place> _places = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);

    public Task<DownstreamSessionLimit?> TryReserveAsync(string sessionHash, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionHash);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var now = time.GetUtcNow();
        if (_places.ContainsKey(sessionHash))
        {
            Take(sessionHash, userId, now);
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

        Take(sessionHash, userId, now);
        return Task.FromResult<DownstreamSessionLimit?>(null);
    }

    public Task RenewAsync(string sessionHash, string userId)
    {
        Take(sessionHash, userId, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        if (_places.Remove(sessionHash, out var place))
        {
            Decrement(place.UserId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Takes or renews the session's place (a renewal never counts twice).</summary>
    private void Take(string sessionHash, string userId, DateTimeOffset now)
    {
        if (!_places.ContainsKey(sessionHash))
        {
            _perUser[userId] = _perUser.GetValueOrDefault(userId) + 1;
        }

        _places[sessionHash] = new Place(userId, now + _placeLifetime);
    }

    private void DropLapsed(DateTimeOffset now)
    {
        foreach (var (hash, place) in _places.Where(entry => entry.Value.LapsesAt <= now).ToList())
        {
            _places.Remove(hash);
            Decrement(place.UserId);
        }
    }

    private void Decrement(string userId)
    {
        var count = _perUser.GetValueOrDefault(userId) - 1;
        if (count <= 0)
        {
            _perUser.Remove(userId);
        }
        else
        {
            _perUser[userId] = count;
        }
    }

    private readonly record struct Place(string UserId, DateTimeOffset LapsesAt);
}
