using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Upstream;

internal sealed partial class UpstreamClient
{
    [LoggerMessage(LogEvents.UpstreamToolListFailed, LogLevel.Warning, "Listing the upstream server's tools failed ({Reason}); its tool calls go without Mcp-Param-* headers")]
    private static partial void LogToolListFailed(ILogger logger, string reason);
}
