namespace McpGrains.Grains.Sessions;

// Proactive refresh: a durable reminder wakes a session that holds a refresh token, even after the grain was
// deactivated, and refreshes the access token before it lapses.
public sealed partial class McpSessionGrain : IRemindable
{
    internal const string ProactiveRefreshReminder = "proactive-refresh";

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        ProactiveRefreshReminder => ExclusiveAsync(RefreshProactivelyLockedAsync, CancellationToken.None),
        VerificationTimeoutReminder => ExclusiveAsync(ExpireVerificationLockedAsync, CancellationToken.None),
        _ => Task.CompletedTask,
    };

    private async Task RefreshProactivelyLockedAsync(CancellationToken cancellationToken)
    {
        if (!Options.Authorization.ProactiveRefresh || _state.State.Tokens?.ProtectedRefreshToken is null)
        {
            await RemoveProactiveRefreshAsync();
            return;
        }

        // Refresh now if the token would be due before the next tick, by the rule every call uses. A token that lives
        // shorter than the interval cannot be kept current by the ticks: it is refreshed when used.
        var interval = Options.Authorization.ProactiveRefreshInterval;
        var now = _time.GetUtcNow();
        if (!_machine.ShouldRefreshBefore(now, now + interval, Options.Authorization.RefreshSkew))
        {
            return;
        }

        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return;
        }

        await GetAccessTokenCoreAsync(server.Authorization!, interval, cancellationToken);
    }

    /// <summary>
    /// Keeps the reminder in line with the state: registered while a refresh token is held. Removal is done here only
    /// for a reminder this activation registered; one left by an earlier activation removes itself at its next tick
    /// (see <see cref="ReceiveReminder"/>), so sessions without one never call the reminder service.
    /// </summary>
    private async Task SyncProactiveRefreshAsync()
    {
        if (Options.Authorization.ProactiveRefresh && _state.State.Tokens?.ProtectedRefreshToken is not null && _machine.Status == ConnectionStatus.Connected)
        {
            if (!_proactiveRefreshRegistered)
            {
                var interval = Options.Authorization.ProactiveRefreshInterval;
                await this.RegisterOrUpdateReminder(ProactiveRefreshReminder, interval, interval);
                _proactiveRefreshRegistered = true;
            }
        }
        else if (_proactiveRefreshRegistered)
        {
            await RemoveProactiveRefreshAsync();
        }
    }

    private async Task RemoveProactiveRefreshAsync()
    {
        var reminder = await this.GetReminder(ProactiveRefreshReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _proactiveRefreshRegistered = false;
    }
}
