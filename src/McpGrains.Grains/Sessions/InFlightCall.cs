using McpGrains.Downstream;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One request of a downstream client in flight upstream: who asked (to send progress and server requests back on the
/// request's own stream), the progress token it travels under upstream, and the messages sent back so far.
/// </summary>
internal sealed class InFlightCall(DownstreamCaller caller, long sequence, string? progressToken)
{
    private readonly Lock _sync = new();
    private Task _delivered = Task.CompletedTask;
    private int _relayed;

    public DownstreamCaller Caller { get; } = caller;

    /// <summary>Start order among the session's calls.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>The unguessable token that replaced the client's progress token upstream, or null.</summary>
    public string? ProgressToken { get; } = progressToken;

    /// <summary>
    /// A 2026-07-28 client calling a 2026-07-28 upstream: an input-required result goes back to the client unchanged
    /// (its keys and request state are the upstream's), rather than being answered by McpGrains.
    /// </summary>
    public bool PassesInputRequired { get; set; }

    public int Relayed => Volatile.Read(ref _relayed);

    /// <summary>
    /// Sends one message to the caller's stream, counting it so the front end writes it before the result. Messages
    /// go one after the other, each once the one before was delivered, so they arrive in the order sent. Completes when
    /// the front end has it queued; a front end that is gone has taken the stream with it, so a failed delivery
    /// completes too.
    /// </summary>
    public Task SendAsync(string messageJson)
    {
        Interlocked.Increment(ref _relayed);
        lock (_sync)
        {
            _delivered = DeliverAfterAsync(_delivered, Caller.Endpoint!, Caller.CallId, messageJson);
            return _delivered;
        }
    }

    /// <summary>
    /// Waits until the front end holding the call has every message sent so far (at most <paramref name="bound"/>,
    /// for a front end that stopped answering): the call's answer goes after them. The upstream connection hands a
    /// call's notifications over before the response that follows them, so when the response is in, so are they.
    /// </summary>
    public async Task DeliveredAsync(TimeSpan bound, TimeProvider time)
    {
        Task delivered;
        lock (_sync)
        {
            delivered = _delivered;
        }

        if (delivered.IsCompleted)
        {
            return;
        }

        try
        {
            await delivered.WaitAsync(bound, time);
        }
        catch (TimeoutException)
        {
            // The front end counts the messages and waits a little for late ones itself.
        }
    }

    private static async Task DeliverAfterAsync(Task previous, IDownstreamEndpoint endpoint, long callId, string messageJson)
    {
        // Never faults: a failed delivery is caught below.
        await previous;
        try
        {
            await endpoint.DeliverCallMessageAsync(callId, messageJson);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The front end is gone, and the response stream the message was for with it.
        }
    }
}
