using Orleans.Runtime;

namespace McpGrains.Clustering;

/// <summary>
/// Retries a front end's grain call refused because the silo it was routed to has died, until membership has caught
/// up and the grain is reactivated elsewhere, within a bounded time. Only failures that prove the call was not
/// processed are retried; a timeout is retried only for calls that are safe to repeat.
/// </summary>
public sealed class FailoverRetryFilter : IOutgoingGrainCallFilter
{
    private static readonly HashSet<string> RepeatableMethods = new(StringComparer.Ordinal)
    {
        "GetConnectionAsync",
        "GetPendingAuthorizationAsync",
        "GetAuthorizationAsync",
        "SubscribeAsync",
        "UnsubscribeAsync",
    };

    private readonly TimeSpan _budget;
    private readonly TimeProvider _time;

    public FailoverRetryFilter(TimeSpan budget, TimeProvider time)
    {
        _budget = budget;
        _time = time;
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception ex) when (IsRetryable(ex, context.MethodName) && _time.GetElapsedTime(started) + delay < _budget)
            {
                await Task.Delay(delay, _time);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    public static bool IsRetryable(Exception ex, string? methodName) => ex switch
    {
        SiloUnavailableException => true,
        OrleansMessageRejectionException => true,
        TimeoutException => methodName is not null && RepeatableMethods.Contains(methodName),
        _ => ex.GetType().Name == "ConnectionFailedException",
    };
}
