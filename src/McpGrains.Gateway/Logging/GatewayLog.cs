using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>
/// The gateway's log messages. They carry session keys, server ids and error codes; never host app keys, the
/// <c>state</c> value, the authorization code, <c>iss</c> or any URL with a query.
/// </summary>
internal static partial class GatewayLog
{
    public const string ApiCategory = "McpGrains.Gateway.Api";
    public const string CallbackCategory = "McpGrains.Gateway.OAuthCallback";
    public const string SignInCategory = "McpGrains.Gateway.SignIn";

    [LoggerMessage(EventId = GatewayLogEvents.AuthorizeFailed, Level = LogLevel.Warning,
        Message = "Authorization of session {SessionKey} failed: {ErrorCode}")]
    public static partial void AuthorizeFailed(this ILogger logger, string sessionKey, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.UserForgotten, Level = LogLevel.Information,
        Message = "A user of host app {TenantId} was forgotten on {ServerCount} servers")]
    public static partial void UserForgotten(this ILogger logger, string tenantId, int serverCount);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackStateInvalid, Level = LogLevel.Warning,
        Message = "OAuth callback rejected: the state is missing, malformed, forged or repeated")]
    public static partial void CallbackStateInvalid(this ILogger logger);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackStateExpired, Level = LogLevel.Information,
        Message = "OAuth callback for session {SessionKey} rejected: the state expired at {ExpiresAt:O}")]
    public static partial void CallbackStateExpired(this ILogger logger, string sessionKey, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackCompleted, Level = LogLevel.Information,
        Message = "OAuth callback for session {SessionKey} completed: succeeded {Succeeded}, error {ErrorCode}")]
    public static partial void CallbackCompleted(this ILogger logger, string sessionKey, bool succeeded, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.SignInLinkInvalid, Level = LogLevel.Warning,
        Message = "Sign-in link rejected: the ticket is malformed, forged or sealed under an unknown key")]
    public static partial void SignInLinkInvalid(this ILogger logger);

    [LoggerMessage(EventId = GatewayLogEvents.SignInLinkExpired, Level = LogLevel.Information,
        Message = "Sign-in link for session {SessionKey} rejected: it expired at {ExpiresAt:O}")]
    public static partial void SignInLinkExpired(this ILogger logger, string sessionKey, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = GatewayLogEvents.SignInRefused, Level = LogLevel.Information,
        Message = "Sign-in link for session {SessionKey} refused: {Outcome}")]
    public static partial void SignInRefused(this ILogger logger, string sessionKey, SignInOutcome outcome);

    [LoggerMessage(EventId = GatewayLogEvents.SignInFormRejected, Level = LogLevel.Warning,
        Message = "Sign-in confirmation for session {SessionKey} rejected: the anti-forgery token is missing or was not issued to this browser")]
    public static partial void SignInFormRejected(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInPageShown, Level = LogLevel.Debug,
        Message = "Sign-in confirmation page shown for session {SessionKey}")]
    public static partial void SignInPageShown(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInContinued, Level = LogLevel.Debug,
        Message = "Sign-in for session {SessionKey} continued: the browser is bound to the flow and sent to the authorization server")]
    public static partial void SignInContinued(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInCancelled, Level = LogLevel.Information,
        Message = "Sign-in for session {SessionKey} cancelled on its confirmation page")]
    public static partial void SignInCancelled(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackReturnUrlRejected, Level = LogLevel.Warning,
        Message = "OAuth callback for session {SessionKey}: the stored return URL is no longer allow-listed; showing a page instead")]
    public static partial void CallbackReturnUrlRejected(this ILogger logger, string sessionKey);
}
