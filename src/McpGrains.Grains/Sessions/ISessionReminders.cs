namespace McpGrains.Grains.Sessions;

/// <summary>The session grain's durable reminders, as its parts schedule them (named; registering again updates).</summary>
internal interface ISessionReminders
{
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Removes the reminder if there is one, whichever activation registered it.</summary>
    Task UnregisterAsync(string name);
}
