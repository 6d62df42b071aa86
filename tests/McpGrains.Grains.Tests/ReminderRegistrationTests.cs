using McpGrains.Grains.Reminders;

namespace McpGrains.Grains.Tests;

/// <summary>Which reminder failures are Orleans' start-up window, asked again, and which are not.</summary>
public sealed class ReminderRegistrationTests
{
    [Fact]
    public void StillInitializing_AsOrleans10SaysIt_IsTransient() =>
        Assert.True(ReminderRegistration.IsStillInitializing(
            new OrleansException("Reminder Service is still initializing and it is taking a long time. Please retry again later.", new TimeoutException())));

    [Fact]
    public void OtherFailures_AreNot() =>
        Assert.All(
            new Exception[] { new OrleansException("Reminder table unavailable"), new TimeoutException("still initializing"), new InvalidOperationException() },
            ex => Assert.False(ReminderRegistration.IsStillInitializing(ex)));
}
