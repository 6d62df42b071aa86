namespace McpGrains.Persistence.Tests;

public sealed class PersistenceProbeGrain(
    [PersistentState("probe", PostgresTestCluster.StorageName)] IPersistentState<ProbeState> state)
    : Grain, IPersistenceProbeGrain, IRemindable
{
    public const string ReminderName = "probe-tick";

    public async Task<int> AppendAsync(string entry, CancellationToken cancellationToken)
    {
        state.State.Entries.Add(entry);
        await state.WriteStateAsync(cancellationToken);
        return state.State.Entries.Count;
    }

    public Task<ProbeSnapshot> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ProbeSnapshot([.. state.State.Entries], state.State.ReminderTicks, state.Etag, GrainContext.Address.SiloAddress!));

    public async Task ScheduleReminderAsync(TimeSpan period, CancellationToken cancellationToken) =>
        await this.RegisterOrUpdateReminder(ReminderName, dueTime: period, period: period);

    public async Task CancelReminderAsync(CancellationToken cancellationToken)
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.ReminderTicks++;
        await state.WriteStateAsync();
        ReminderTicks.Signal(this.GetPrimaryKeyString());
    }
}
