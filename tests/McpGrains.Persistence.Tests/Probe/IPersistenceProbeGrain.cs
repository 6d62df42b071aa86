namespace McpGrains.Persistence.Tests;

/// <summary>A grain whose only job is to exercise grain storage and reminders through PostgreSQL.</summary>
[Alias("McpGrains.Persistence.Tests.IPersistenceProbeGrain")]
public interface IPersistenceProbeGrain : IGrainWithStringKey
{
    /// <summary>Appends an entry, writes the state and returns the entry count.</summary>
    [Alias("Append")]
    Task<int> AppendAsync(string entry, CancellationToken cancellationToken);

    [Alias("Read")]
    Task<ProbeSnapshot> ReadAsync(CancellationToken cancellationToken);

    [Alias("ScheduleReminder")]
    Task ScheduleReminderAsync(TimeSpan period, CancellationToken cancellationToken);

    [Alias("CancelReminder")]
    Task CancelReminderAsync(CancellationToken cancellationToken);
}
