namespace McpGrains.Grains.Sessions;

/// <summary>
/// The session's persisted record and the state machine over it. Parts apply a transition to <see cref="Machine"/>,
/// then write the record before acting on it.
/// </summary>
internal sealed class SessionRecord
{
    private readonly McpSessionKey _key;
    private readonly IStoredState<McpSessionState> _store;

    public SessionRecord(McpSessionKey key, IStoredState<McpSessionState> store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _key = key;
        _store = store;
        Machine = new OAuthSessionStateMachine(key, store.State);
    }

    public OAuthSessionStateMachine Machine { get; private set; }

    public McpSessionState State => Machine.State;

    public Task WriteAsync(CancellationToken cancellationToken) => _store.WriteAsync(cancellationToken);

    /// <summary>Deletes the record; the machine starts over on a fresh state.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await _store.ClearAsync(cancellationToken);
        Machine = new OAuthSessionStateMachine(_key, _store.State);
    }
}
