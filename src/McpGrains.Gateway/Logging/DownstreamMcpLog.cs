using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>
/// Log messages of the downstream MCP endpoint. They carry session keys, server ids, methods and outcomes; never
/// host app keys, session ids, tool arguments, or authorization URLs. Nothing is logged for a successful call.
/// </summary>
internal static partial class DownstreamMcpLog
{
    public const string Category = "McpGrains.Gateway.Mcp";

    [LoggerMessage(EventId = GatewayLogEvents.UpstreamCallFailed, Level = LogLevel.Information,
        Message = "{Method} for {SessionKey} ended {Outcome} ({ErrorCode})")]
    public static partial void UpstreamCallFailed(this ILogger logger, string method, string sessionKey, UpstreamOutcome outcome, string? errorCode);

    [LoggerMessage(EventId = GatewayLogEvents.AuthorizationPrompted, Level = LogLevel.Information,
        Message = "{Method} for {SessionKey} needs authorization; prompted the client by {PromptKind} (elicitation {ElicitationId})")]
    public static partial void AuthorizationPrompted(this ILogger logger, string method, string sessionKey, string promptKind, string? elicitationId);

    [LoggerMessage(EventId = GatewayLogEvents.ToolNameUnusable, Level = LogLevel.Warning,
        Message = "Server {ServerId}: {ToolName} ({Purpose}) does not fit 64 characters of [A-Za-z0-9_-]; models of OpenAI-style providers cannot call it. Choose a shorter server id of letters, digits, '_' and '-'.")]
    public static partial void ToolNameUnusable(this ILogger logger, string serverId, string toolName, string purpose);
}
