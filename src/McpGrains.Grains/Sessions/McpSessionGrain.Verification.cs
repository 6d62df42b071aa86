using System.Buffers.Text;
using System.Security.Cryptography;
using McpGrains.Security;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

// Binding mode host-verification: a callback's tokens wait, stored encrypted and never used, until the host app
// confirms the flow for the user signed in there. The timeout is a reminder, not a grain timer: a reminder is durable,
// so the tokens are discarded and revoked at the provider even when the grain has been deactivated or its silo lost and
// nothing calls it again; a confirmation arriving after the time is refused by the state machine whatever the
// reminder's precision.
public sealed partial class McpSessionGrain
{
    internal const string VerificationTimeoutReminder = "verification-timeout";

    private VerificationFlowCodec? _verificationFlows;

    private VerificationFlowCodec VerificationFlows => _verificationFlows ??= new VerificationFlowCodec(_keyRing);

    /// <summary>After a successful code exchange: the tokens await the host app's confirmation, and the browser goes to its verification URL.</summary>
    private async Task<CallbackResult> AwaitConfirmationAsync(TokenSet tokens, PendingAuthorization consumed, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var timeout = HostAppOptions.VerificationTimeout;
        var expiresAt = now + timeout;
        var confirmationId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var replaced = _machine.AwaitConfirmation(tokens, consumed, confirmationId, expiresAt, now);
        await _state.WriteStateAsync(cancellationToken);
        await this.RegisterOrUpdateReminder(VerificationTimeoutReminder, timeout, ReminderPeriod(timeout));
        if (replaced is not null)
        {
            await RevokeTokensAsync(replaced.Tokens, cancellationToken);
        }

        LogAwaitingVerification(_logger, _key, expiresAt);
        var flowId = VerificationFlows.Protect(new AuthorizationState(_key.Format(), confirmationId, expiresAt));
        return new CallbackResult(true, _key.ServerId, consumed.ReturnUrl, null, flowId);
    }

    public Task<ConfirmationResult> ConfirmAuthorizationAsync(AuthorizationConfirmation confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return ExclusiveAsync(async ct =>
        {
            var outcome = _machine.Confirm(confirmation, _time.GetUtcNow(), out var unconfirmed);
            if (outcome == ConfirmationOutcome.NotPending)
            {
                // A replay, or a flow replaced or discarded already: nothing changes.
                LogVerificationNotPending(_logger, _key);
                return new ConfirmationResult(outcome, _key.ServerId);
            }

            await _state.WriteStateAsync(ct);
            await RemoveVerificationTimeoutAsync();
            if (outcome == ConfirmationOutcome.Confirmed)
            {
                LogVerificationConfirmed(_logger, _key, unconfirmed!.Tokens.Issuer);
                await SyncProactiveRefreshAsync();
                await NotifyAuthorizationCompletedAsync(unconfirmed.ElicitationId);
                return new ConfirmationResult(outcome, _key.ServerId, unconfirmed.ReturnUrl);
            }

            LogVerificationRefused(_logger, _key, outcome);
            await RevokeTokensAsync(unconfirmed!.Tokens, ct);
            return new ConfirmationResult(outcome, _key.ServerId);
        }, cancellationToken);
    }

    /// <summary>The reminder's tick: tokens whose time is up are discarded and revoked; the reminder ends once none wait.</summary>
    private async Task ExpireVerificationLockedAsync(CancellationToken cancellationToken)
    {
        var expired = _machine.ExpireUnconfirmed(_time.GetUtcNow());
        if (expired is not null)
        {
            await _state.WriteStateAsync(cancellationToken);
            LogVerificationRefused(_logger, _key, ConfirmationOutcome.Expired);
            await RevokeTokensAsync(expired.Tokens, cancellationToken);
        }

        if (_state.State.Unconfirmed is null)
        {
            await RemoveVerificationTimeoutAsync();
        }
    }

    private async Task RemoveVerificationTimeoutAsync()
    {
        if (await this.GetReminder(VerificationTimeoutReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>After the first tick, retries (a failed revocation, a tick that came early) no more often than reminders allow.</summary>
    private static TimeSpan ReminderPeriod(TimeSpan timeout) => timeout < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : timeout;

    [LoggerMessage(LogEvents.SessionAwaitingVerification, LogLevel.Information, "Session {SessionKey}: signed in; tokens await the host app's confirmation until {ExpiresAt:O}")]
    private static partial void LogAwaitingVerification(ILogger logger, McpSessionKey sessionKey, DateTimeOffset expiresAt);

    [LoggerMessage(LogEvents.SessionVerificationConfirmed, LogLevel.Information, "Session {SessionKey}: the host app confirmed the sign-in; connected to {Issuer}")]
    private static partial void LogVerificationConfirmed(ILogger logger, McpSessionKey sessionKey, string issuer);

    [LoggerMessage(LogEvents.SessionVerificationRefused, LogLevel.Warning, "Session {SessionKey}: tokens awaiting confirmation discarded and revoked: {Outcome}")]
    private static partial void LogVerificationRefused(ILogger logger, McpSessionKey sessionKey, ConfirmationOutcome outcome);

    [LoggerMessage(LogEvents.SessionVerificationNotPending, LogLevel.Warning, "Session {SessionKey}: a confirmation named no tokens awaiting it (replayed, replaced or discarded); nothing changed")]
    private static partial void LogVerificationNotPending(ILogger logger, McpSessionKey sessionKey);
}
