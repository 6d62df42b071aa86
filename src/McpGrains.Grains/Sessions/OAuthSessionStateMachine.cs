using System.Security.Cryptography;
using System.Text;
using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The OAuth client state machine of one (tenant, user, server) session, free of Orleans and I/O. States are
/// <see cref="ConnectionStatus"/> values; each transition mutates <see cref="State"/> and says what the caller must do
/// next. The grain performs the I/O and writes the state after every transition.
/// </summary>
/// <remarks>
/// not_connected ─authorize→ authorization_pending ─callback ok→ connected ─refresh invalid_grant→ reauthorization_required
///        ↑                         │ callback failed → error (or back to the previous status when tokens are held)
///        └──────── disconnect ─────┴──────────────────────────────────────────────────────────────────────────────────
/// </remarks>
public sealed partial class OAuthSessionStateMachine
{
    private readonly McpSessionKey _key;

    public OAuthSessionStateMachine(McpSessionKey key, McpSessionState state)
    {
        _key = key;
        State = state;
    }

    public McpSessionState State { get; }

    public ConnectionStatus Status => State.Status;

    public bool HasTokens => State.Tokens is not null;

    /// <summary>Records a new pending authorization, replacing any earlier one (its state value stops working).</summary>
    public void BeginAuthorization(PendingAuthorization pending, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pending);
        pending.PreviousStatus = State.Pending?.PreviousStatus ?? (State.Status == ConnectionStatus.AuthorizationPending ? ConnectionStatus.NotConnected : State.Status);
        State.Pending = pending;
        if (State.Tokens is null)
        {
            State.Status = ConnectionStatus.AuthorizationPending;
        }

        State.UpdatedAt = now;
    }

    public static byte[] HashFlowId(string flowId) => HashSecret(flowId);

    /// <summary>What is stored of a secret the grain must recognise but never hold (flow ids, browser binding secrets).</summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// Checks an authorization response against the pending authorization. A response delivered by a browser other
    /// than the one that pressed Continue is refused and changes nothing (the right browser can still finish). Otherwise
    /// the pending flow is consumed by the first response that carries its flow id, whatever the outcome, so that a
    /// replay finds nothing to complete.
    /// </summary>
    public CallbackDecision ValidateCallback(AuthorizationCallback callback, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback.SessionKey != _key)
        {
            // A state sealed for another session presented here: never complete it into this one.
            return CallbackDecision.Reject(new SessionError(SessionErrorCodes.InvalidState, "This sign-in response belongs to another connection."), stateChanged: false);
        }

        var pending = State.Pending;
        if (pending is null)
        {
            return CallbackDecision.Reject(new SessionError(SessionErrorCodes.NoPendingAuthorization, "There is no sign-in in progress for this connection; it was completed or cancelled already. Start again."), stateChanged: false);
        }

        if (!CryptographicOperations.FixedTimeEquals(HashFlowId(callback.FlowId), pending.FlowIdHash))
        {
            // An older flow of this session, superseded by a newer one; the newer one stays valid.
            return CallbackDecision.Reject(new SessionError(SessionErrorCodes.InvalidState, "This sign-in link was replaced by a newer one. Use the latest link."), stateChanged: false);
        }

        if (!IsBoundTo(pending, callback.BrowserBinding))
        {
            // Before every check that consumes the flow: a stranger's browser must not even be able to fail it.
            return CallbackDecision.Reject(new SessionError(SessionErrorCodes.BrowserMismatch, BrowserMismatchMessage), stateChanged: false);
        }

        if (now >= pending.ExpiresAt)
        {
            return Fail(pending, new SessionError(SessionErrorCodes.AuthorizationExpired, "The sign-in took too long and expired. Start again."), now);
        }

        switch (IssuerValidator.Validate(pending.ExpectedIssuer, pending.IssParameterSupported, callback.Issuer))
        {
            case IssuerCheck.Missing:
                return Fail(pending, new SessionError(SessionErrorCodes.IssuerMismatch, "The authorization server did not identify itself (RFC 9207 iss parameter missing); the response was ignored."), now);
            case IssuerCheck.Mismatch:
                // RFC 9207: do not act on (or show) an error from an unexpected issuer.
                return Fail(pending, new SessionError(SessionErrorCodes.IssuerMismatch, "The response came from an unexpected authorization server (RFC 9207 iss mismatch); it was ignored."), now);
        }

        if (!string.IsNullOrEmpty(callback.Error))
        {
            var error = callback.Error == "access_denied"
                ? new SessionError(SessionErrorCodes.AccessDenied, "Access was denied at the authorization server.")
                : new SessionError(SessionErrorCodes.AuthorizationServerError, $"The authorization server returned '{OAuthErrorText.Code(callback.Error)}'{Describe(callback.ErrorDescription)}.");
            return Fail(pending, error, now);
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            return Fail(pending, new SessionError(SessionErrorCodes.InvalidState, "The authorization response carried no code."), now);
        }

        ConsumePending(now);
        return CallbackDecision.Exchange(pending);
    }

    /// <summary>Stores tokens from a code exchange or a refresh; the session is connected.</summary>
    public void ApplyTokens(TokenSet tokens, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        State.Tokens = tokens;
        State.Status = ConnectionStatus.Connected;
        State.LastError = null;
        State.UpdatedAt = now;
    }

    /// <summary>A code exchange failed after the pending flow was consumed.</summary>
    public void ApplyExchangeFailure(PendingAuthorization consumed, SessionError error, DateTimeOffset now)
    {
        State.Status = State.Tokens is null ? ConnectionStatus.Error : consumed.PreviousStatus;
        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>
    /// The share of an access token's lifetime kept in reserve at most: a token is used until
    /// <c>min(skew, lifetime / RefreshReserveDivisor)</c> before it expires, so a token living shorter than the skew
    /// (a 20-second token against the default one-minute skew) is used for three quarters of its life instead of
    /// being due, and refreshed, on every call.
    /// </summary>
    public const int RefreshReserveDivisor = 4;

    /// <summary>
    /// Whether the current access token may be used at <paramref name="now"/>: it may until
    /// <see cref="RefreshMargin"/> before it expires; a token without a known expiry is used until the server refuses it.
    /// </summary>
    public RefreshDecision DecideTokenUse(DateTimeOffset now, TimeSpan skew)
    {
        var tokens = State.Tokens;
        if (tokens is null || State.Status == ConnectionStatus.ReauthorizationRequired)
        {
            return RefreshDecision.AuthorizationRequired;
        }

        if (tokens.ExpiresAt is null || now < tokens.ExpiresAt.Value - RefreshMargin(tokens, skew))
        {
            return RefreshDecision.UseCurrent;
        }

        if (tokens.ProtectedRefreshToken is not null)
        {
            return RefreshDecision.Refresh;
        }

        // Inside the skew but not yet expired: still usable once; expired: the user must sign in again.
        return now < tokens.ExpiresAt.Value ? RefreshDecision.UseCurrent : RefreshDecision.AuthorizationRequired;
    }

    /// <summary>
    /// Whether a refresh made now keeps the session's token usable until <paramref name="horizon"/> (the next proactive
    /// check) where the current one would not. A token that lives shorter than the time to the horizon cannot be kept
    /// usable that way: such a session is refreshed when used, not on every check.
    /// </summary>
    public bool ShouldRefreshBefore(DateTimeOffset now, DateTimeOffset horizon, TimeSpan skew) =>
        State.Tokens is { ProtectedRefreshToken: not null, ExpiresAt: { } expiresAt } tokens
        && State.Status == ConnectionStatus.Connected
        && expiresAt - tokens.ObtainedAt > horizon - now
        && DecideTokenUse(horizon, skew) == RefreshDecision.Refresh;

    /// <summary>How long before expiry the token is refreshed: the skew, or a quarter of the token's lifetime if less.</summary>
    public static TimeSpan RefreshMargin(TokenSet tokens, TimeSpan skew)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.ExpiresAt is not { } expiresAt)
        {
            return TimeSpan.Zero;
        }

        var lifetime = expiresAt - tokens.ObtainedAt;
        return lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(skew.Ticks, lifetime.Ticks / RefreshReserveDivisor));
    }

    /// <summary>The refresh token was rejected (invalid_grant): the tokens are useless; the user must authorize again.</summary>
    public void ApplyRefreshRejected(SessionError error, DateTimeOffset now)
    {
        State.Tokens = null;
        State.Status = ConnectionStatus.ReauthorizationRequired;
        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>The upstream rejected the current access token (401): treat it as expired, so the next use refreshes.</summary>
    public void ApplyAccessTokenRejected(DateTimeOffset now)
    {
        if (State.Tokens is { } tokens)
        {
            tokens.ExpiresAt = now;
            State.UpdatedAt = now;
        }
    }

    /// <summary>The pending authorization that may still be shown to the user, if it has this much life left and a sign-in link.</summary>
    public PendingAuthorization? GetReusablePending(DateTimeOffset now, TimeSpan minimumRemaining) =>
        State.Pending is { ProtectedSignInLink.Length: > 0 } pending && pending.ExpiresAt - now >= minimumRemaining ? pending : null;

    /// <summary>The access token expired and cannot be refreshed.</summary>
    public void ApplyExpiredWithoutRefresh(DateTimeOffset now)
    {
        if (State.Tokens is null)
        {
            return;
        }

        State.Tokens = null;
        State.Status = ConnectionStatus.ReauthorizationRequired;
        State.LastError = new SessionError(SessionErrorCodes.AuthorizationExpired, "The access token expired and no refresh token was issued; sign in again.");
        State.UpdatedAt = now;
    }

    /// <summary>A refresh failed for a transient reason: keep the tokens, record the error.</summary>
    public void ApplyRefreshFailure(SessionError error, DateTimeOffset now)
    {
        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>The upstream needs no authorization.</summary>
    public void ApplyAuthorizationNotRequired(DateTimeOffset now)
    {
        State.Pending = null;
        State.Tokens = null;
        State.Status = ConnectionStatus.Connected;
        State.LastError = null;
        State.UpdatedAt = now;
    }

    /// <summary>Discovery or registration failed before a flow could begin.</summary>
    public void ApplySetupFailure(SessionError error, DateTimeOffset now)
    {
        if (State.Tokens is null && State.Pending is null)
        {
            State.Status = ConnectionStatus.Error;
        }

        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>
    /// The server's authorization can no longer be used by anyone (it names an issuer other than the one it is pinned
    /// to): tokens and any pending sign-in are dropped, and the session stays in error until the operator decides.
    /// </summary>
    public void ApplyServerRefused(SessionError error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        State.Tokens = null;
        State.Pending = null;
        State.Unconfirmed = null;
        State.Status = ConnectionStatus.Error;
        State.LastError = error;
        State.UpdatedAt = now;
    }

    /// <summary>Forgets everything.</summary>
    public void Disconnect(DateTimeOffset now)
    {
        State.Pending = null;
        State.Tokens = null;
        State.Unconfirmed = null;
        State.Status = ConnectionStatus.NotConnected;
        State.LastError = null;
        State.UpdatedAt = now;
    }

    private CallbackDecision Fail(PendingAuthorization pending, SessionError error, DateTimeOffset now)
    {
        ConsumePending(now);
        ApplyExchangeFailure(pending, error, now);
        return CallbackDecision.Reject(error, stateChanged: true, consumed: pending);
    }

    private void ConsumePending(DateTimeOffset now)
    {
        var pending = State.Pending!;
        State.Pending = null;
        if (State.Tokens is null)
        {
            State.Status = pending.PreviousStatus;
        }

        State.UpdatedAt = now;
    }

    /// <summary>Untrusted text from the authorization server: sanitized and bounded, or nothing.</summary>
    private static string Describe(string? description) =>
        OAuthErrorText.Description(description) is { } text ? $": {text}" : string.Empty;
}
