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

    [LoggerMessage(EventId = GatewayLogEvents.AuthorizeFailed, Level = LogLevel.Warning,
        Message = "Authorization of session {SessionKey} failed: {ErrorCode}")]
    public static partial void AuthorizeFailed(this ILogger logger, string sessionKey, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackStateInvalid, Level = LogLevel.Warning,
        Message = "OAuth callback rejected: the state is missing, malformed, forged or repeated")]
    public static partial void CallbackStateInvalid(this ILogger logger);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackStateExpired, Level = LogLevel.Information,
        Message = "OAuth callback for session {SessionKey} rejected: the state expired at {ExpiresAt:O}")]
    public static partial void CallbackStateExpired(this ILogger logger, string sessionKey, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackCompleted, Level = LogLevel.Information,
        Message = "OAuth callback for session {SessionKey} completed: succeeded {Succeeded}, error {ErrorCode}")]
    public static partial void CallbackCompleted(this ILogger logger, string sessionKey, bool succeeded, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackReturnUrlRejected, Level = LogLevel.Warning,
        Message = "OAuth callback for session {SessionKey}: the stored return URL is no longer allow-listed; showing a page instead")]
    public static partial void CallbackReturnUrlRejected(this ILogger logger, string sessionKey);
}
