namespace McpGrains.Grains.Upstream;

/// <summary>
/// Spaces connection attempts to one upstream session with exponential backoff and opens a circuit after repeated
/// failures, so that a down server costs a bounded number of attempts, not one per call. Calls that arrive while no
/// attempt is allowed fail fast. Not thread-safe: owned by one grain activation.
/// </summary>
public sealed class ReconnectPolicy
{
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly int _threshold;
    private readonly TimeSpan _openDuration;
    private int _consecutiveFailures;
    private DateTimeOffset _nextAttemptAt = DateTimeOffset.MinValue;

    public ReconnectPolicy(TimeSpan baseDelay, TimeSpan maxDelay, int threshold, TimeSpan openDuration)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _threshold = Math.Max(1, threshold);
        _openDuration = openDuration;
    }

    /// <summary>Every connection attempt made, successful or not.</summary>
    public long Attempts { get; private set; }

    public int ConsecutiveFailures => _consecutiveFailures;

    public bool IsCircuitOpen(DateTimeOffset now) => _consecutiveFailures >= _threshold && now < _nextAttemptAt;

    /// <summary>Whether an attempt may be made now; if not, how long until one may.</summary>
    public bool TryBeginAttempt(DateTimeOffset now, out TimeSpan retryAfter)
    {
        if (now < _nextAttemptAt)
        {
            retryAfter = _nextAttemptAt - now;
            return false;
        }

        retryAfter = TimeSpan.Zero;
        Attempts++;
        return true;
    }

    public void RecordSuccess()
    {
        _consecutiveFailures = 0;
        _nextAttemptAt = DateTimeOffset.MinValue;
    }

    public void RecordFailure(DateTimeOffset now)
    {
        _consecutiveFailures++;
        if (_consecutiveFailures >= _threshold)
        {
            _nextAttemptAt = now + _openDuration;
            return;
        }

        var factor = Math.Pow(2, _consecutiveFailures - 1);
        var delay = TimeSpan.FromTicks((long)Math.Min(_maxDelay.Ticks, _baseDelay.Ticks * factor));
        _nextAttemptAt = now + delay;
    }
}
