using System.Buffers.Text;
using System.Security.Cryptography;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Binding mode host-verification: a callback's tokens wait, stored encrypted and never used, until the host app
/// confirms the flow for the user signed in there. The timeout is a reminder, not a grain timer: a reminder is durable,
/// so the tokens are discarded and revoked at the provider even when the grain has been deactivated or its silo lost and
/// nothing calls it again; a confirmation arriving after the time is refused by the state machine whatever the
/// reminder's precision.
/// </summary>
internal sealed class HostVerification(
    SessionContext context,
    SessionRecord record,
    SessionTokenEndpoint endpoint,
    KeyRing keyRing,
    ISessionReminders reminders,
    ProactiveRefreshSchedule schedule,
    Func<string, Task> authorizationCompleted)
{
    /// <summary>The reminder's name: stored in the reminder table, never renamed.</summary>
    public const string ReminderName = "verification-timeout";

    private VerificationFlowCodec? _flows;

    private VerificationFlowCodec Flows => _flows ??= new VerificationFlowCodec(keyRing);

    /// <summary>After a successful code exchange: the tokens await the host app's confirmation, and the browser goes to its verification URL.</summary>
    public async Task<CallbackResult> AwaitConfirmationAsync(TokenSet tokens, PendingAuthorization consumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        var key = context.Key;
        var now = context.Time.GetUtcNow();
        var timeout = context.HostApp.VerificationTimeout;
        var expiresAt = now + timeout;
        var confirmationId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var replaced = record.Machine.AwaitConfirmation(tokens, consumed, confirmationId, expiresAt, now);
        await record.WriteAsync(cancellationToken);
        await reminders.RegisterAsync(ReminderName, timeout, ReminderPeriod(timeout));
        if (replaced is not null)
        {
            await endpoint.RevokeAsync(replaced.Tokens, cancellationToken);
        }

        SessionLog.AwaitingVerification(context.Logger, key, expiresAt);
        var flowId = Flows.Protect(new AuthorizationState(key.Format(), confirmationId, expiresAt));
        return new CallbackResult(true, key.ServerId, consumed.ReturnUrl, null, flowId);
    }

    public async Task<ConfirmationResult> ConfirmAsync(AuthorizationConfirmation confirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var (key, logger) = (context.Key, context.Logger);
        var outcome = record.Machine.Confirm(confirmation, context.Time.GetUtcNow(), out var unconfirmed);
        if (outcome == ConfirmationOutcome.NotPending)
        {
            // A replay, or a flow replaced or discarded already: nothing changes.
            SessionLog.VerificationNotPending(logger, key);
            return new ConfirmationResult(outcome, key.ServerId);
        }

        await record.WriteAsync(cancellationToken);
        await RemoveTimeoutAsync();
        if (outcome == ConfirmationOutcome.Confirmed)
        {
            SessionLog.VerificationConfirmed(logger, key, unconfirmed!.Tokens.Issuer);
            await schedule.SyncAsync();
            await authorizationCompleted(unconfirmed.ElicitationId);
            return new ConfirmationResult(outcome, key.ServerId, unconfirmed.ReturnUrl);
        }

        SessionLog.VerificationRefused(logger, key, outcome);
        await endpoint.RevokeAsync(unconfirmed!.Tokens, cancellationToken);
        return new ConfirmationResult(outcome, key.ServerId);
    }

    /// <summary>The reminder's tick: tokens whose time is up are discarded and revoked; the reminder ends once none wait.</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = record.Machine.ExpireUnconfirmed(context.Time.GetUtcNow());
        if (expired is not null)
        {
            await record.WriteAsync(cancellationToken);
            SessionLog.VerificationRefused(context.Logger, context.Key, ConfirmationOutcome.Expired);
            await endpoint.RevokeAsync(expired.Tokens, cancellationToken);
        }

        if (record.State.Unconfirmed is null)
        {
            await RemoveTimeoutAsync();
        }
    }

    public Task RemoveTimeoutAsync() => reminders.UnregisterAsync(ReminderName);

    /// <summary>After the first tick, retries (a failed revocation, a tick that came early) no more often than reminders allow.</summary>
    private static TimeSpan ReminderPeriod(TimeSpan timeout) => timeout < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : timeout;
}
