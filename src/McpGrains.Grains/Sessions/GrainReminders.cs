namespace McpGrains.Grains.Sessions;

/// <summary>A grain's Orleans reminders behind <see cref="ISessionReminders"/>.</summary>
internal sealed class GrainReminders(Grain grain) : ISessionReminders
{
    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period) => Reminders.ReminderRegistration.RegisterOrUpdateAsync(grain, name, dueTime, period);

    public async Task UnregisterAsync(string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
