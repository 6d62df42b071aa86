namespace McpGrains.Gateway.Limits;

/// <summary>The authentication failure of a throttled client address (see <see cref="HostKeyAttemptLimiter"/>); its challenge is a 429.</summary>
internal sealed class HostKeyAttemptsExceededException(TimeSpan retryAfter)
    : Exception("Too many wrong host keys from this address; try again later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
