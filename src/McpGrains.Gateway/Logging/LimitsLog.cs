using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>
/// Log messages of the limits: each refusal is logged at most once per window and subject (a flood of refused
/// requests is one line). They carry host app names, user ids and client addresses; never a host app key.
/// </summary>
internal static partial class LimitsLog
{
    public const string Category = "McpGrains.Gateway.Limits";

    [LoggerMessage(EventId = GatewayLogEvents.HostAppCallLimitReached, Level = LogLevel.Warning,
        Message = "Host app {HostApp} reached {Limit} calls per minute (McpGrains:Limits:CallsPerMinutePerHostApp); its further calls this minute get 429 (logged once per window)")]
    public static partial void HostAppCallLimitReached(this ILogger logger, string hostApp, int limit);

    [LoggerMessage(EventId = GatewayLogEvents.UserCallLimitReached, Level = LogLevel.Warning,
        Message = "User {UserId} of host app {HostApp} reached {Limit} calls per minute (McpGrains:Limits:CallsPerMinutePerUser); further calls this minute get 429 (logged once per window)")]
    public static partial void UserCallLimitReached(this ILogger logger, string userId, string hostApp, int limit);

    [LoggerMessage(EventId = GatewayLogEvents.UserAuthorizationLimitReached, Level = LogLevel.Warning,
        Message = "User {UserId} of host app {HostApp} started {Limit} authorizations this hour (McpGrains:Limits:AuthorizationsPerHourPerUser); further ones this hour get 429 (logged once per window)")]
    public static partial void UserAuthorizationLimitReached(this ILogger logger, string userId, string hostApp, int limit);

    [LoggerMessage(EventId = GatewayLogEvents.HostKeyAttemptsThrottled, Level = LogLevel.Warning,
        Message = "{Limit} wrong host keys within a minute from {ClientAddress} (McpGrains:Limits:FailedHostKeyAttemptsPerMinute): every host key attempt from there gets 429 until the minute ends (logged once per window)")]
    public static partial void HostKeyAttemptsThrottled(this ILogger logger, string clientAddress, int limit);

    [LoggerMessage(EventId = GatewayLogEvents.RequestBodyTooLarge, Level = LogLevel.Debug,
        Message = "{Method} {Route}: the request body is over {Limit} bytes (McpGrains:Limits:MaxRequestBodyBytes); answered 413")]
    public static partial void RequestBodyTooLarge(this ILogger logger, string method, string route, long limit);

    [LoggerMessage(EventId = GatewayLogEvents.DownstreamSessionLimitReached, Level = LogLevel.Warning,
        Message = "A new downstream MCP session of user {UserId} of host app {HostApp} was refused: {LimitKey} ({Limit}) open sessions in the cluster (logged once per minute on each node)")]
    public static partial void DownstreamSessionLimitReached(this ILogger logger, string userId, string hostApp, string limitKey, int limit);
}
