using System.Security.Cryptography;

namespace McpGrains.Grains.Sessions;

// Binding mode host-verification: after the callback the tokens wait, unusable, for the host app to confirm the flow
// for the user signed in there. Only the session's own user binds them; another user, or no confirmation in time,
// discards them (the grain then revokes them).
public sealed partial class OAuthSessionStateMachine
{
    /// <summary>
    /// Holds the tokens of a consumed flow until the host app confirms it. Returns tokens an earlier flow left awaiting
    /// confirmation, which this one replaces (the caller revokes them).
    /// </summary>
    public UnconfirmedAuthorization? AwaitConfirmation(TokenSet tokens, PendingAuthorization consumed, string confirmationId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(consumed);
        var replaced = State.Unconfirmed;
        State.Unconfirmed = new UnconfirmedAuthorization
        {
            ConfirmationIdHash = HashSecret(confirmationId),
            Tokens = tokens,
            ExpiresAt = expiresAt,
            ReturnUrl = consumed.ReturnUrl,
            ElicitationId = consumed.ElicitationId,
            PreviousStatus = replaced?.PreviousStatus ?? consumed.PreviousStatus,
        };
        if (State.Tokens is null)
        {
            // Signed in, but not connected: nothing is usable until the host app confirms.
            State.Status = ConnectionStatus.AuthorizationPending;
        }

        State.LastError = null;
        State.UpdatedAt = now;
        return replaced;
    }

    /// <summary>
    /// The host app's confirmation. A confirmation that names no tokens awaiting (replayed, replaced, discarded) changes
    /// nothing. Otherwise the tokens are bound when the session's user is the one confirmed and in time, and discarded
    /// (returned in <paramref name="discarded"/> for revocation) when another user is named or the time is up.
    /// </summary>
    public ConfirmationOutcome Confirm(AuthorizationConfirmation confirmation, DateTimeOffset now, out UnconfirmedAuthorization? confirmedOrDiscarded)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        confirmedOrDiscarded = null;
        var unconfirmed = State.Unconfirmed;
        if (confirmation.SessionKey != _key || unconfirmed is null
            || !CryptographicOperations.FixedTimeEquals(HashSecret(confirmation.FlowId), unconfirmed.ConfirmationIdHash))
        {
            return ConfirmationOutcome.NotPending;
        }

        confirmedOrDiscarded = unconfirmed;
        if (now >= unconfirmed.ExpiresAt)
        {
            Discard(new SessionError(SessionErrorCodes.VerificationExpired, VerificationExpiredMessage), now);
            return ConfirmationOutcome.Expired;
        }

        if (!string.Equals(confirmation.UserId, _key.UserId, StringComparison.Ordinal))
        {
            Discard(new SessionError(SessionErrorCodes.VerificationUserMismatch, "The application confirmed this sign-in for another user; the account was not connected. Start again."), now);
            return ConfirmationOutcome.UserMismatch;
        }

        State.Unconfirmed = null;
        ApplyTokens(unconfirmed.Tokens, now);
        return ConfirmationOutcome.Confirmed;
    }

    /// <summary>Discards tokens whose confirmation time is up; returns them for revocation (null: nothing lapsed).</summary>
    public UnconfirmedAuthorization? ExpireUnconfirmed(DateTimeOffset now)
    {
        var unconfirmed = State.Unconfirmed;
        if (unconfirmed is null || now < unconfirmed.ExpiresAt)
        {
            return null;
        }

        Discard(new SessionError(SessionErrorCodes.VerificationExpired, VerificationExpiredMessage), now);
        return unconfirmed;
    }

    private const string VerificationExpiredMessage = "The application did not confirm this sign-in in time; the account was not connected. Start again.";

    private void Discard(SessionError error, DateTimeOffset now)
    {
        var unconfirmed = State.Unconfirmed!;
        State.Unconfirmed = null;
        if (State.Tokens is null)
        {
            State.Status = State.Pending is null ? ErrorOr(unconfirmed.PreviousStatus) : ConnectionStatus.AuthorizationPending;
        }

        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>A session left without tokens by a refused confirmation shows the error, as a failed sign-in does.</summary>
    private static ConnectionStatus ErrorOr(ConnectionStatus previous) =>
        previous is ConnectionStatus.NotConnected or ConnectionStatus.AuthorizationPending ? ConnectionStatus.Error : previous;
}
