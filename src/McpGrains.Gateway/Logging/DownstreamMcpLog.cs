using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>
/// Log messages of the downstream MCP endpoint. They carry session keys, server ids, methods and outcomes; never
/// host app keys, tool arguments, or authorization URLs.
/// </summary>
internal static partial class DownstreamMcpLog
{
    public const string Category = "McpGrains.Gateway.Mcp";

    [LoggerMessage(EventId = GatewayLogEvents.DownstreamSessionStarted, Level = LogLevel.Debug,
        Message = "Downstream MCP session {DownstreamSessionId} started for {SessionKey}")]
    public static partial void DownstreamSessionStarted(this ILogger logger, string downstreamSessionId, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.DownstreamSessionEnded, Level = LogLevel.Debug,
        Message = "Downstream MCP session {DownstreamSessionId} for {SessionKey} ended")]
    public static partial void DownstreamSessionEnded(this ILogger logger, string downstreamSessionId, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.ObserverSubscribeFailed, Level = LogLevel.Warning,
        Message = "Subscribing the front end's observer to {SessionKey} failed ({ExceptionType}); the next renewal retries")]
    public static partial void ObserverSubscribeFailed(this ILogger logger, string sessionKey, string exceptionType);

    [LoggerMessage(EventId = GatewayLogEvents.DownstreamNotificationFailed, Level = LogLevel.Debug,
        Message = "Forwarding {Method} to downstream MCP session {DownstreamSessionId} failed ({ExceptionType})")]
    public static partial void DownstreamNotificationFailed(this ILogger logger, string method, string downstreamSessionId, string exceptionType);

    [LoggerMessage(EventId = GatewayLogEvents.ServerRequestRelayFailed, Level = LogLevel.Warning,
        Message = "Relaying upstream {Method} for {SessionKey} to a downstream client failed: {Reason}")]
    public static partial void ServerRequestRelayFailed(this ILogger logger, string method, string sessionKey, string reason);

    [LoggerMessage(EventId = GatewayLogEvents.UpstreamCallFailed, Level = LogLevel.Information,
        Message = "{Method} for {SessionKey} ended {Outcome} ({ErrorCode})")]
    public static partial void UpstreamCallFailed(this ILogger logger, string method, string sessionKey, UpstreamOutcome outcome, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.AuthorizationPrompted, Level = LogLevel.Information,
        Message = "{Method} for {SessionKey} needs authorization; prompted the client by {PromptKind} (elicitation {ElicitationId})")]
    public static partial void AuthorizationPrompted(this ILogger logger, string method, string sessionKey, string promptKind, string? elicitationId);

    [LoggerMessage(EventId = GatewayLogEvents.AuthorizationCompletedRelayed, Level = LogLevel.Information,
        Message = "Authorization of {SessionKey} completed (elicitation {ElicitationId}); told {SessionCount} downstream session(s)")]
    public static partial void AuthorizationCompletedRelayed(this ILogger logger, string sessionKey, string elicitationId, int sessionCount);
}
