using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The session's one-at-a-time section. Orleans serializes the grain's non-interleaving calls, but not against an
/// interleaving <c>SendAsync</c> that awaits its upstream answer, nor against the timer and reminders while one does;
/// so every entry point that reads or changes the OAuth state or the connection runs its whole work in here, and
/// <c>SendAsync</c> enters only to settle what its fast path cannot. Not reentrant: only the grain's entry points enter
/// it; the parts they call never do. Every OAuth request of the session (code exchange, refresh, revocation) is made in
/// here, under the server's private-network setting.
/// </summary>
internal sealed class ExclusiveSection(bool allowPrivateNetwork)
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Someone is inside (or the section is being entered): the fast path must not act on what it may change.</summary>
    public bool IsHeld => _semaphore.CurrentCount == 0;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _semaphore.WaitAsync(cancellationToken);
        using var network = PrivateNetworkAccess.Allow(allowPrivateNetwork);
        try
        {
            return await action(cancellationToken);
        }
        finally
        {
            _semaphore.Release();
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunAsync(async ct =>
        {
            await action(ct);
            return true;
        }, cancellationToken);
    }
}
