using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Downstream;

public sealed partial class DownstreamSessionGrain
{
    [LoggerMessage(LogEvents.DownstreamSessionStarted, LogLevel.Debug, "Downstream MCP session for {SessionKey} started ({ProtocolVersion})")]
    private static partial void LogStarted(ILogger logger, McpSessionKey sessionKey, string protocolVersion);

    [LoggerMessage(LogEvents.DownstreamSessionEnded, LogLevel.Debug, "Downstream MCP session for {SessionKey} ended ({Reason})")]
    private static partial void LogEnded(ILogger logger, McpSessionKey sessionKey, string reason);
}
