using Orleans.Concurrency;

namespace McpGrains.Downstream;

/// <summary>
/// Implemented once by each front end (a grain observer): the cluster's way to reach the HTTP responses that front end
/// holds. Request-scoped messages (progress, server requests during a call, subscription notifications of a 2026
/// listen stream) travel to the front end holding the request; a session's end reaches the front ends that cached it.
/// </summary>
[Alias("McpGrains.IDownstreamEndpoint")]
public interface IDownstreamEndpoint : IGrainObserver
{
    /// <summary>One JSON-RPC message for the response stream of call <paramref name="callId"/> on this front end.</summary>
    [OneWay]
    [Alias("OnCallMessageAsync")]
    Task OnCallMessageAsync(long callId, string messageJson);

    /// <summary>
    /// As <see cref="OnCallMessageAsync"/>, answered once the message is queued on the call's response stream: a
    /// request's messages (progress, server requests) are delivered this way, and the session grain answers the request
    /// only after every one of them was, so that the front end writes them all before the answer.
    /// </summary>
    [Alias("DeliverCallMessageAsync")]
    Task DeliverCallMessageAsync(long callId, string messageJson);

    /// <summary>The session (by hash) was deleted or expired: forget it.</summary>
    [OneWay]
    [Alias("OnSessionEndedAsync")]
    Task OnSessionEndedAsync(string sessionHash);
}
