using System.Collections.Concurrent;
using McpGrains.Gateway.Logging;
using Microsoft.Extensions.Logging;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The downstream MCP sessions this node holds, grouped by session key, with one grain observer per key: created with
/// the first session of a key, subscribed with the union of its clients' capabilities, renewed by
/// <see cref="ObserverRenewalService"/>, unsubscribed and released with the last session.
/// </summary>
internal sealed class DownstreamSessionRegistry
{
    private readonly IGrainFactory _grains;
    private readonly ProgressTokenMap _progress;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private readonly ConcurrentDictionary<McpSessionKey, SessionKeyObserver> _observers = new();

    public DownstreamSessionRegistry(IGrainFactory grains, ProgressTokenMap progress, ILoggerFactory loggerFactory)
    {
        _grains = grains;
        _progress = progress;
        _logger = loggerFactory.CreateLogger(DownstreamMcpLog.Category);
    }

    public int KeyCount => _observers.Count;

    public async Task AddAsync(DownstreamSession session, CancellationToken cancellationToken)
    {
        SessionKeyObserver observer;
        lock (_sync)
        {
            if (!_observers.TryGetValue(session.Key, out observer!))
            {
                observer = new SessionKeyObserver(session.Key, _progress, _logger);
                observer.Reference = _grains.CreateObjectReference<IMcpSessionObserver>(observer);
                _observers[session.Key] = observer;
            }

            observer.Add(session);
        }

        _logger.DownstreamSessionStarted(session.Id, session.Key.Format());
        await SubscribeAsync(observer, force: true, cancellationToken);
    }

    /// <summary>Re-subscribes when a client's capabilities (known once it has initialized) widen the union.</summary>
    public Task RefreshCapabilitiesAsync(DownstreamSession session, CancellationToken cancellationToken) =>
        _observers.TryGetValue(session.Key, out var observer) ? SubscribeAsync(observer, force: false, cancellationToken) : Task.CompletedTask;

    public async Task RemoveAsync(DownstreamSession session)
    {
        SessionKeyObserver? released = null;
        lock (_sync)
        {
            if (_observers.TryGetValue(session.Key, out var observer))
            {
                observer.Remove(session);
                if (observer.IsEmpty)
                {
                    _observers.TryRemove(session.Key, out _);
                    released = observer;
                }
            }
        }

        _logger.DownstreamSessionEnded(session.Id, session.Key.Format());
        if (released is null)
        {
            return;
        }

        try
        {
            await Grain(released.Key).UnsubscribeAsync(released.Reference);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The registration lapses on its own.
            _logger.ObserverSubscribeFailed(released.Key.Format(), ex.GetType().Name);
        }
        finally
        {
            _grains.DeleteObjectReference<IMcpSessionObserver>(released.Reference);
        }
    }

    public async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        foreach (var observer in _observers.Values)
        {
            await SubscribeAsync(observer, force: true, cancellationToken);
            await CatchUpAuthorizationAsync(observer, cancellationToken);
        }
    }

    /// <summary>
    /// Registrations live in the grain's memory: a grain reactivated between the prompt and the sign-in (idle
    /// collection, a silo failure) completed the authorization without this observer. Renewal notices and tells the
    /// sessions that are still waiting.
    /// </summary>
    private async Task CatchUpAuthorizationAsync(SessionKeyObserver observer, CancellationToken cancellationToken)
    {
        var pending = observer.PendingElicitations;
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            var connection = await Grain(observer.Key).GetConnectionAsync(cancellationToken);
            if (connection.Status != ConnectionStatus.Connected)
            {
                return;
            }

            foreach (var elicitationId in pending)
            {
                await observer.OnAuthorizationCompletedAsync(elicitationId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.ObserverSubscribeFailed(observer.Key.Format(), ex.GetType().Name);
        }
    }

    private async Task SubscribeAsync(SessionKeyObserver observer, bool force, CancellationToken cancellationToken)
    {
        var capabilities = observer.UnionCapabilities();
        if (!force && capabilities == observer.Subscribed)
        {
            return;
        }

        try
        {
            await Grain(observer.Key).SubscribeAsync(observer.Reference, capabilities, cancellationToken);
            observer.Subscribed = capabilities;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.ObserverSubscribeFailed(observer.Key.Format(), ex.GetType().Name);
        }
    }

    private IMcpSessionGrain Grain(McpSessionKey key) => _grains.GetGrain<IMcpSessionGrain>(key.Format());
}
