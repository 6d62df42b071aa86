using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>Reminders as a dictionary of name to period: what a session asked the reminder service for.</summary>
internal sealed class RecordingReminders : ISessionReminders
{
    public Dictionary<string, TimeSpan> Registered { get; } = new(StringComparer.Ordinal);

    public int Registrations { get; private set; }

    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period)
    {
        Registrations++;
        Registered[name] = period;
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string name)
    {
        Registered.Remove(name);
        return Task.CompletedTask;
    }
}
