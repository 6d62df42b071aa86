namespace McpGrains.Grains.Reminders;

/// <summary>
/// Registers a grain's reminder across Orleans' start-up window: the reminder service starts after the silo is
/// active, and a registration made before it has loaded its range waits about 20 s and then fails with "Reminder
/// Service is still initializing". That answer is transient: the registration is asked again, a bounded number of
/// times, instead of failing the call that needed it (a sign-in callback, a new /mcp session) on a node just started.
/// </summary>
internal static class ReminderRegistration
{
    /// <summary>Attempts in all; each waits as long as the reminder service makes it wait.</summary>
    public const int Attempts = 3;

    private const string StillInitializing = "still initializing";

    public static async Task<IGrainReminder> RegisterOrUpdateAsync(Grain grain, string name, TimeSpan dueTime, TimeSpan period)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await grain.RegisterOrUpdateReminder(name, dueTime, period);
            }
            catch (OrleansException ex) when (attempt < Attempts && IsStillInitializing(ex))
            {
                // Ask again: the service answers as soon as it has started.
            }
        }
    }

    public static bool IsStillInitializing(Exception ex) =>
        ex is OrleansException && ex.Message.Contains(StillInitializing, StringComparison.OrdinalIgnoreCase);
}
