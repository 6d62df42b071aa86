using McpGrains.Downstream;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One request of a downstream client in flight upstream: who asked (to send progress and server requests back on the
/// request's own stream), the progress token it travels under upstream, and how many messages were sent back.
/// </summary>
internal sealed class InFlightCall(DownstreamCaller caller, long sequence, string? progressToken)
{
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

    /// <summary>Sends one message to the caller's stream, counting it so the front end writes it before the result.</summary>
    public Task SendAsync(string messageJson)
    {
        Interlocked.Increment(ref _relayed);
        return Caller.Endpoint!.OnCallMessageAsync(Caller.CallId, messageJson);
    }
}
