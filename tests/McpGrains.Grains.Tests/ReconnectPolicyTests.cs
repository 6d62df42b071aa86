using McpGrains.Grains.Upstream;

namespace McpGrains.Grains.Tests;

public sealed class ReconnectPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ReconnectPolicy Policy() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), threshold: 4, TimeSpan.FromSeconds(30));

    [Fact]
    public void Failures_SpaceAttemptsExponentially()
    {
        var policy = Policy();
        var now = Start;

        Assert.True(policy.TryBeginAttempt(now, out _));
        policy.RecordFailure(now);
        Assert.False(policy.TryBeginAttempt(now.AddMilliseconds(900), out var wait1));
        Assert.Equal(TimeSpan.FromMilliseconds(100), wait1);
        Assert.True(policy.TryBeginAttempt(now.AddSeconds(1), out _));
        policy.RecordFailure(now.AddSeconds(1));
        Assert.False(policy.TryBeginAttempt(now.AddSeconds(2.5), out _));
        Assert.True(policy.TryBeginAttempt(now.AddSeconds(3), out _));
        Assert.Equal(3, policy.Attempts);
    }

    [Fact]
    public void ThresholdFailures_OpenTheCircuitForItsDuration_ThenOneAttemptIsAllowed()
    {
        var policy = Policy();
        var now = Start;
        for (var i = 0; i < 4; i++)
        {
            policy.RecordFailure(now);
        }

        Assert.True(policy.IsCircuitOpen(now.AddSeconds(29)));
        Assert.False(policy.TryBeginAttempt(now.AddSeconds(29), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.True(policy.TryBeginAttempt(now.AddSeconds(30), out _));
        Assert.Equal(1, policy.Attempts);
    }

    [Fact]
    public void Success_ClosesTheCircuitAndResetsTheBackoff()
    {
        var policy = Policy();
        for (var i = 0; i < 4; i++)
        {
            policy.RecordFailure(Start);
        }

        policy.RecordSuccess();

        Assert.False(policy.IsCircuitOpen(Start));
        Assert.Equal(0, policy.ConsecutiveFailures);
        Assert.True(policy.TryBeginAttempt(Start, out _));
    }

    [Fact]
    public void Backoff_IsCappedAtTheMaximumDelay()
    {
        var policy = new ReconnectPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), threshold: 10, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 6; i++)
        {
            policy.RecordFailure(Start);
        }

        Assert.False(policy.TryBeginAttempt(Start.AddSeconds(2.9), out _));
        Assert.True(policy.TryBeginAttempt(Start.AddSeconds(3), out _));
    }
}
