using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// What a session logs, under the grain's category. Session keys, issuers, codes and durations only: never tokens,
/// codes, verifiers, state values or URLs with queries.
/// </summary>
internal static partial class SessionLog
{
    [LoggerMessage(LogEvents.SessionAuthorizationStarted, LogLevel.Information, "Session {SessionKey}: authorization started with {Issuer}, pending until {ExpiresAt:O}")]
    public static partial void AuthorizationStarted(ILogger logger, McpSessionKey sessionKey, string issuer, DateTimeOffset expiresAt);

    [LoggerMessage(LogEvents.SessionConnected, LogLevel.Information, "Session {SessionKey}: connected to {Issuer} (code exchange {ElapsedMs:F1} ms)")]
    public static partial void Connected(ILogger logger, McpSessionKey sessionKey, string issuer, double elapsedMs);

    [LoggerMessage(LogEvents.SessionCallbackRejected, LogLevel.Warning, "Session {SessionKey}: authorization response rejected: {ErrorCode}")]
    public static partial void CallbackRejected(ILogger logger, McpSessionKey sessionKey, string errorCode);

    [LoggerMessage(LogEvents.SessionExchangeFailed, LogLevel.Warning, "Session {SessionKey}: code exchange failed: {OAuthError} (HTTP {StatusCode})")]
    public static partial void ExchangeFailed(ILogger logger, McpSessionKey sessionKey, string oAuthError, int statusCode);

    [LoggerMessage(LogEvents.SessionRefreshed, LogLevel.Debug, "Session {SessionKey}: access token refreshed in {ElapsedMs:F1} ms")]
    public static partial void Refreshed(ILogger logger, McpSessionKey sessionKey, double elapsedMs);

    [LoggerMessage(LogEvents.SessionRefreshRejected, LogLevel.Warning, "Session {SessionKey}: refresh token rejected (invalid_grant); reauthorization required")]
    public static partial void RefreshRejected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionRefreshFailed, LogLevel.Warning, "Session {SessionKey}: refresh failed: {OAuthError}")]
    public static partial void RefreshFailed(ILogger logger, McpSessionKey sessionKey, string oAuthError);

    [LoggerMessage(LogEvents.SessionDisconnected, LogLevel.Information, "Session {SessionKey}: disconnected, tokens forgotten")]
    public static partial void Disconnected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSetupFailed, LogLevel.Warning, "Session {SessionKey}: cannot start authorization: {ErrorCode}")]
    public static partial void SetupFailed(ILogger logger, McpSessionKey sessionKey, string errorCode);

    [LoggerMessage(LogEvents.UpstreamConnected, LogLevel.Information, "Session {SessionKey}: upstream connected (protocol {ProtocolVersion}) in {ElapsedMs:F1} ms")]
    public static partial void UpstreamConnected(ILogger logger, McpSessionKey sessionKey, string protocolVersion, double elapsedMs);

    [LoggerMessage(LogEvents.UpstreamConnectFailed, LogLevel.Warning, "Session {SessionKey}: upstream connection failed ({ConsecutiveFailures} in a row): {ExceptionType}")]
    public static partial void UpstreamConnectFailed(ILogger logger, McpSessionKey sessionKey, int consecutiveFailures, string exceptionType);

    [LoggerMessage(LogEvents.UpstreamClosed, LogLevel.Information, "Session {SessionKey}: upstream connection closed: {Reason}")]
    public static partial void UpstreamClosed(ILogger logger, McpSessionKey sessionKey, string reason);

    [LoggerMessage(LogEvents.UpstreamRequestFailed, LogLevel.Warning, "Session {SessionKey}: upstream {Method} failed: {Reason}")]
    public static partial void UpstreamRequestFailed(ILogger logger, McpSessionKey sessionKey, string method, string reason);

    [LoggerMessage(LogEvents.UpstreamTokenRejected, LogLevel.Information, "Session {SessionKey}: upstream rejected the access token (401); refreshing once")]
    public static partial void UpstreamTokenRejected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.UpstreamSessionExpired, LogLevel.Information, "Session {SessionKey}: upstream session expired (404); initializing a new one")]
    public static partial void UpstreamSessionExpired(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSignInClaimed, LogLevel.Debug, "Session {SessionKey}: sign-in continued; the flow is bound to that browser")]
    public static partial void SignInClaimed(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSignInRefused, LogLevel.Information, "Session {SessionKey}: sign-in link refused: {Outcome}")]
    public static partial void SignInRefused(ILogger logger, McpSessionKey sessionKey, SignInOutcome outcome);

    [LoggerMessage(LogEvents.SessionSignInCancelled, LogLevel.Information, "Session {SessionKey}: sign-in cancelled on its confirmation page")]
    public static partial void SignInCancelled(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionStepUp, LogLevel.Information, "Session {SessionKey}: {Method} needs more scope (403 insufficient_scope); authorizing again for {Scopes}")]
    public static partial void StepUp(ILogger logger, McpSessionKey sessionKey, string method, string scopes);

    [LoggerMessage(LogEvents.UpstreamDestinationRefused, LogLevel.Warning, "Session {SessionKey}: upstream connection not made: {Reason}")]
    public static partial void UpstreamDestinationRefused(ILogger logger, McpSessionKey sessionKey, string reason);

    [LoggerMessage(LogEvents.SessionSecretUnreadable, LogLevel.Error, "Session {SessionKey}: the stored {Secret} cannot be decrypted with this node's keys (key {KeyId}); check McpGrains:Security:Keys")]
    public static partial void SecretUnreadable(ILogger logger, McpSessionKey sessionKey, string secret, string keyId);

    [LoggerMessage(LogEvents.SessionRevocationSkipped, LogLevel.Warning, "Session {SessionKey}: its tokens cannot be decrypted, so they are forgotten without being revoked")]
    public static partial void RevocationSkipped(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionIdentityAssertionRedeemed, LogLevel.Information, "Session {SessionKey}: identity assertion redeemed at {Issuer}; connected without a browser")]
    public static partial void IdentityAssertionRedeemed(ILogger logger, McpSessionKey sessionKey, string issuer);

    [LoggerMessage(LogEvents.SessionIdentityAssertionFailed, LogLevel.Warning, "Session {SessionKey}: enterprise-managed authorization failed at the {Where}: {Error}")]
    public static partial void IdentityAssertionFailed(ILogger logger, McpSessionKey sessionKey, string where, string error);

    [LoggerMessage(LogEvents.SessionAwaitingVerification, LogLevel.Information, "Session {SessionKey}: signed in; tokens await the host app's confirmation until {ExpiresAt:O}")]
    public static partial void AwaitingVerification(ILogger logger, McpSessionKey sessionKey, DateTimeOffset expiresAt);

    [LoggerMessage(LogEvents.SessionVerificationConfirmed, LogLevel.Information, "Session {SessionKey}: the host app confirmed the sign-in; connected to {Issuer}")]
    public static partial void VerificationConfirmed(ILogger logger, McpSessionKey sessionKey, string issuer);

    [LoggerMessage(LogEvents.SessionVerificationRefused, LogLevel.Warning, "Session {SessionKey}: tokens awaiting confirmation discarded and revoked: {Outcome}")]
    public static partial void VerificationRefused(ILogger logger, McpSessionKey sessionKey, ConfirmationOutcome outcome);

    [LoggerMessage(LogEvents.SessionVerificationNotPending, LogLevel.Warning, "Session {SessionKey}: a confirmation named no tokens awaiting it (replayed, replaced or discarded); nothing changed")]
    public static partial void VerificationNotPending(ILogger logger, McpSessionKey sessionKey);
}
