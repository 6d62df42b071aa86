using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Portal;

/// <summary>Log messages of the connections-page link grain; never a link, a cookie or a user id.</summary>
public sealed partial class PortalLinkGrain
{
    [LoggerMessage(EventId = LogEvents.PortalLinkIssued, Level = LogLevel.Debug, Message = "Connections-page link issued for host app {TenantId}, valid until {ExpiresAt:O}")]
    private partial void LogIssued(string tenantId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = LogEvents.PortalLinkOpened, Level = LogLevel.Information, Message = "Connections-page link opened for host app {TenantId}; its page works in that browser until {ExpiresAt:O}")]
    private partial void LogOpened(string tenantId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = LogEvents.PortalLinkRefused, Level = LogLevel.Information, Message = "Connections-page link or page refused: {Outcome}")]
    private partial void LogRefused(PortalOutcome outcome);
}
