using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

public sealed partial class McpAuthorizationDiscovery
{
    [LoggerMessage(EventId = OAuthLogEvents.ProbeResult, Level = LogLevel.Debug,
        Message = "Probe {Method} {Url} answered {StatusCode}")]
    private static partial void LogProbeResult(ILogger logger, string method, string url, int statusCode);

    [LoggerMessage(EventId = OAuthLogEvents.SessionDeleteFailed, Level = LogLevel.Debug,
        Message = "Best-effort DELETE of the probe session at {Url} failed")]
    private static partial void LogSessionDeleteFailed(ILogger logger, string url, Exception exception);

    [LoggerMessage(EventId = OAuthLogEvents.ResourceMetadataNotFound, Level = LogLevel.Information,
        Message = "No protected resource metadata for {Url}; using the 2025-03-26 discovery at the origin")]
    private static partial void LogResourceMetadataNotFound(ILogger logger, string url);

    // The origin's metadata is the metadata client's fetch, but it is accepted here, after MCP's same-origin issuer rule.
    [LoggerMessage(EventId = OAuthLogEvents.AuthorizationServerMetadataFound, Level = LogLevel.Information,
        Message = "Authorization server metadata for issuer {Issuer} found at {Url}")]
    private static partial void LogAuthorizationServerMetadataFound(ILogger logger, string issuer, string url);

    [LoggerMessage(EventId = OAuthLogEvents.LegacyDefaultEndpoints, Level = LogLevel.Information,
        Message = "No authorization server metadata at {Origin}; using the default endpoints /authorize, /token, /register")]
    private static partial void LogLegacyDefaultEndpoints(ILogger logger, string origin);
}
