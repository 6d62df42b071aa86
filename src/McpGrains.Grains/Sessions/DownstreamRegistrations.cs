using McpGrains.Downstream;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Who hears a session grain's upstream events: front-end observers (<see cref="IMcpSessionObserver"/>), downstream
/// sessions (by hash; their grains buffer for the GET stream) and 2026-07-28 listen streams. Changed on the grain
/// scheduler only; the relay reads immutable snapshots off it. Every registration lapses unless renewed.
/// </summary>
internal sealed class DownstreamRegistrations(TimeProvider time)
{
    /// <summary>A registration not renewed within this time is dropped.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    private readonly Dictionary<IMcpSessionObserver, ObserverRegistration> _observers = new();
    private readonly Dictionary<string, SessionRegistration> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<(IDownstreamEndpoint, long), ListenerRegistration> _listeners = new();
    private volatile ObserverRegistration[] _observerSnapshot = [];
    private volatile SessionRegistration[] _sessionSnapshot = [];
    private volatile ListenerRegistration[] _listenerSnapshot = [];

    public IReadOnlyList<ObserverRegistration> Observers => _observerSnapshot;

    public IReadOnlyList<SessionRegistration> Sessions => _sessionSnapshot;

    public IReadOnlyList<ListenerRegistration> Listeners => _listenerSnapshot;

    public int Count => _observerSnapshot.Length + _sessionSnapshot.Length + _listenerSnapshot.Length;

    public void Register(IMcpSessionObserver observer, DownstreamCapabilities capabilities)
    {
        _observers[observer] = new ObserverRegistration(observer, capabilities, Expiry());
        Publish();
    }

    public void Unregister(IMcpSessionObserver observer)
    {
        if (_observers.Remove(observer))
        {
            Publish();
        }
    }

    /// <param name="hasStream">The session's GET stream is being polled: session-scoped requests can reach it.</param>
    public void RegisterSession(string sessionHash, DownstreamCapabilities capabilities, bool hasStream)
    {
        _sessions[sessionHash] = new SessionRegistration(sessionHash, capabilities, hasStream, Expiry());
        Publish();
    }

    /// <summary>Cheap check for the hot path: registered, and not about to lapse.</summary>
    public bool IsFresh(string sessionHash) =>
        _sessions.TryGetValue(sessionHash, out var registration) && registration.ExpiresAt - time.GetUtcNow() > Lifetime / 3;

    public void UnregisterSession(string sessionHash)
    {
        if (_sessions.Remove(sessionHash))
        {
            Publish();
        }
    }

    public void RegisterListener(DownstreamListener listener)
    {
        _listeners[(listener.Endpoint, listener.CallId)] = new ListenerRegistration(listener, Expiry());
        Publish();
    }

    public void UnregisterListener(IDownstreamEndpoint endpoint, long callId)
    {
        if (_listeners.Remove((endpoint, callId)))
        {
            Publish();
        }
    }

    private DateTimeOffset Expiry() => time.GetUtcNow() + Lifetime;

    private void Publish()
    {
        var now = time.GetUtcNow();
        Prune(_observers, r => r.ExpiresAt, now);
        Prune(_sessions, r => r.ExpiresAt, now);
        Prune(_listeners, r => r.ExpiresAt, now);
        _observerSnapshot = [.. _observers.Values];
        _sessionSnapshot = [.. _sessions.Values];
        _listenerSnapshot = [.. _listeners.Values];
    }

    private static void Prune<TKey, TValue>(Dictionary<TKey, TValue> registrations, Func<TValue, DateTimeOffset> expiresAt, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var expired in registrations.Where(r => expiresAt(r.Value) <= now).Select(r => r.Key).ToArray())
        {
            registrations.Remove(expired);
        }
    }
}
