namespace McpGrains.Gateway.Limits;

/// <summary>
/// Lets a refusal be logged once per window per limit and subject, so that a flood of refused requests is one log
/// line, not a flood of log lines. Bounded: expired entries are dropped when the table grows.
/// </summary>
internal sealed class RejectionLogGate(TimeProvider time)
{
    private const int SweepThreshold = 10_000;

    private readonly Lock _sync = new();
    private readonly Dictionary<(string Limit, string Subject), DateTimeOffset> _quietUntil = [];

    public bool ShouldLog(string limit, string subject, TimeSpan window)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (_quietUntil.TryGetValue((limit, subject), out var until) && now < until)
            {
                return false;
            }

            if (_quietUntil.Count >= SweepThreshold)
            {
                foreach (var expired in _quietUntil.Where(entry => entry.Value <= now).Select(entry => entry.Key).ToList())
                {
                    _quietUntil.Remove(expired);
                }
            }

            _quietUntil[(limit, subject)] = now + window;
            return true;
        }
    }
}
