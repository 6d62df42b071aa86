using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

// Session keys, issuers, codes and durations only: never tokens, codes, verifiers, state values or URLs with queries.
public sealed partial class McpSessionGrain
{
    [LoggerMessage(LogEvents.SessionAuthorizationStarted, LogLevel.Information, "Session {SessionKey}: authorization started with {Issuer}, pending until {ExpiresAt:O}")]
    private static partial void LogAuthorizationStarted(ILogger logger, McpSessionKey sessionKey, string issuer, DateTimeOffset expiresAt);

    [LoggerMessage(LogEvents.SessionConnected, LogLevel.Information, "Session {SessionKey}: connected to {Issuer} (code exchange {ElapsedMs:F1} ms)")]
    private static partial void LogConnected(ILogger logger, McpSessionKey sessionKey, string issuer, double elapsedMs);

    [LoggerMessage(LogEvents.SessionCallbackRejected, LogLevel.Warning, "Session {SessionKey}: authorization response rejected: {ErrorCode}")]
    private static partial void LogCallbackRejected(ILogger logger, McpSessionKey sessionKey, string errorCode);

    [LoggerMessage(LogEvents.SessionExchangeFailed, LogLevel.Warning, "Session {SessionKey}: code exchange failed: {OAuthError} (HTTP {StatusCode})")]
    private static partial void LogExchangeFailed(ILogger logger, McpSessionKey sessionKey, string oAuthError, int statusCode);

    [LoggerMessage(LogEvents.SessionRefreshed, LogLevel.Debug, "Session {SessionKey}: access token refreshed in {ElapsedMs:F1} ms")]
    private static partial void LogRefreshed(ILogger logger, McpSessionKey sessionKey, double elapsedMs);

    [LoggerMessage(LogEvents.SessionRefreshRejected, LogLevel.Warning, "Session {SessionKey}: refresh token rejected (invalid_grant); reauthorization required")]
    private static partial void LogRefreshRejected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionRefreshFailed, LogLevel.Warning, "Session {SessionKey}: refresh failed: {OAuthError}")]
    private static partial void LogRefreshFailed(ILogger logger, McpSessionKey sessionKey, string oAuthError);

    [LoggerMessage(LogEvents.SessionDisconnected, LogLevel.Information, "Session {SessionKey}: disconnected, tokens forgotten")]
    private static partial void LogDisconnected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSetupFailed, LogLevel.Warning, "Session {SessionKey}: cannot start authorization: {ErrorCode}")]
    private static partial void LogSetupFailed(ILogger logger, McpSessionKey sessionKey, string errorCode);

    [LoggerMessage(LogEvents.UpstreamConnected, LogLevel.Information, "Session {SessionKey}: upstream connected (protocol {ProtocolVersion}) in {ElapsedMs:F1} ms")]
    private static partial void LogUpstreamConnected(ILogger logger, McpSessionKey sessionKey, string protocolVersion, double elapsedMs);

    [LoggerMessage(LogEvents.UpstreamConnectFailed, LogLevel.Warning, "Session {SessionKey}: upstream connection failed ({ConsecutiveFailures} in a row): {ExceptionType}")]
    private static partial void LogUpstreamConnectFailed(ILogger logger, McpSessionKey sessionKey, int consecutiveFailures, string exceptionType);

    [LoggerMessage(LogEvents.UpstreamClosed, LogLevel.Information, "Session {SessionKey}: upstream connection closed: {Reason}")]
    private static partial void LogUpstreamClosed(ILogger logger, McpSessionKey sessionKey, string reason);

    [LoggerMessage(LogEvents.UpstreamRequestFailed, LogLevel.Warning, "Session {SessionKey}: upstream {Method} failed: {Reason}")]
    private static partial void LogUpstreamRequestFailed(ILogger logger, McpSessionKey sessionKey, string method, string reason);

    [LoggerMessage(LogEvents.UpstreamTokenRejected, LogLevel.Information, "Session {SessionKey}: upstream rejected the access token (401); refreshing once")]
    private static partial void LogUpstreamTokenRejected(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.UpstreamSessionExpired, LogLevel.Information, "Session {SessionKey}: upstream session expired (404); initializing a new one")]
    private static partial void LogUpstreamSessionExpired(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSignInClaimed, LogLevel.Debug, "Session {SessionKey}: sign-in continued; the flow is bound to that browser")]
    private static partial void LogSignInClaimed(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionSignInRefused, LogLevel.Information, "Session {SessionKey}: sign-in link refused: {Outcome}")]
    private static partial void LogSignInRefused(ILogger logger, McpSessionKey sessionKey, SignInOutcome outcome);

    [LoggerMessage(LogEvents.SessionSignInCancelled, LogLevel.Information, "Session {SessionKey}: sign-in cancelled on its confirmation page")]
    private static partial void LogSignInCancelled(ILogger logger, McpSessionKey sessionKey);

    [LoggerMessage(LogEvents.SessionStepUp, LogLevel.Information, "Session {SessionKey}: {Method} needs more scope (403 insufficient_scope); authorizing again for {Scopes}")]
    private static partial void LogStepUp(ILogger logger, McpSessionKey sessionKey, string method, string scopes);

    [LoggerMessage(LogEvents.UpstreamDestinationRefused, LogLevel.Warning, "Session {SessionKey}: upstream connection not made: {Reason}")]
    private static partial void LogUpstreamDestinationRefused(ILogger logger, McpSessionKey sessionKey, string reason);
    [LoggerMessage(LogEvents.SessionSecretUnreadable, LogLevel.Error, "Session {SessionKey}: the stored {Secret} cannot be decrypted with this node's keys (key {KeyId}); check McpGrains:Security:Keys")]
    private static partial void LogSecretUnreadable(ILogger logger, McpSessionKey sessionKey, string secret, string keyId);

    [LoggerMessage(LogEvents.SessionRevocationSkipped, LogLevel.Warning, "Session {SessionKey}: its tokens cannot be decrypted, so they are forgotten without being revoked")]
    private static partial void LogRevocationSkipped(ILogger logger, McpSessionKey sessionKey);
}
