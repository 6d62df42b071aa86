using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>The connections page's log messages: host apps, session keys and outcomes; never a link or a cookie.</summary>
internal static partial class PortalLog
{
    public const string Category = "McpGrains.Gateway.Portal";

    [LoggerMessage(EventId = GatewayLogEvents.PortalLinkInvalid, Level = LogLevel.Warning,
        Message = "Connections-page link rejected: it is malformed, forged or sealed under an unknown key")]
    public static partial void PortalLinkInvalid(this ILogger logger);

    [LoggerMessage(EventId = GatewayLogEvents.PortalRefused, Level = LogLevel.Information,
        Message = "Connections page of host app {TenantId} refused: {Outcome}")]
    public static partial void PortalRefused(this ILogger logger, string? tenantId, PortalOutcome outcome);

    [LoggerMessage(EventId = GatewayLogEvents.PortalFormRejected, Level = LogLevel.Warning,
        Message = "Connections-page form of host app {TenantId} rejected: the anti-forgery token is missing or was not issued to this browser")]
    public static partial void PortalFormRejected(this ILogger logger, string tenantId);

    [LoggerMessage(EventId = GatewayLogEvents.PortalDisconnected, Level = LogLevel.Information,
        Message = "Session {SessionKey} disconnected from its connections page")]
    public static partial void PortalDisconnected(this ILogger logger, string sessionKey);
}
