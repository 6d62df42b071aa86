using McpGrains.Configuration;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Proactive refresh: a durable reminder wakes a session that holds a refresh token, even after the grain was
/// deactivated, so that the access token is refreshed before it lapses. Registered while a refresh token is held.
/// Removal is done here only for a reminder this activation registered; one left by an earlier activation removes
/// itself at its next tick, so sessions without one never call the reminder service.
/// </summary>
internal sealed class ProactiveRefreshSchedule(SessionRecord record, AuthorizationOptions options, ISessionReminders reminders)
{
    /// <summary>The reminder's name: stored in the reminder table, never renamed.</summary>
    public const string ReminderName = "proactive-refresh";

    private bool _registered;

    /// <summary>Keeps the reminder in line with the state.</summary>
    public async Task SyncAsync()
    {
        if (options.ProactiveRefresh && record.State.Tokens?.ProtectedRefreshToken is not null && record.Machine.Status == ConnectionStatus.Connected)
        {
            if (!_registered)
            {
                await reminders.RegisterAsync(ReminderName, options.ProactiveRefreshInterval, options.ProactiveRefreshInterval);
                _registered = true;
            }
        }
        else if (_registered)
        {
            await RemoveAsync();
        }
    }

    /// <summary>Removes the reminder, whichever activation registered it.</summary>
    public async Task RemoveAsync()
    {
        await reminders.UnregisterAsync(ReminderName);
        _registered = false;
    }
}
