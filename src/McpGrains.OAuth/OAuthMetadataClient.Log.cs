using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

public sealed partial class OAuthMetadataClient
{
    [LoggerMessage(EventId = OAuthLogEvents.ResourceMetadataFound, Level = LogLevel.Information,
        Message = "Protected resource metadata found at {Url} for resource {Resource}")]
    private static partial void LogResourceMetadataFound(ILogger logger, string url, string resource);

    [LoggerMessage(EventId = OAuthLogEvents.AuthorizationServerMetadataFound, Level = LogLevel.Information,
        Message = "Authorization server metadata for issuer {Issuer} found at {Url}")]
    private static partial void LogAuthorizationServerMetadataFound(ILogger logger, string issuer, string url);

    [LoggerMessage(EventId = OAuthLogEvents.AuthorizationServerMetadataSkipped, Level = LogLevel.Warning,
        Message = "Authorization server metadata at {Url} skipped: {Reason}")]
    private static partial void LogAuthorizationServerMetadataSkipped(ILogger logger, string url, string reason);
}
