using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

public sealed partial class UpstreamAddressPolicy
{
    [LoggerMessage(EventId = OAuthLogEvents.DestinationRefused, Level = LogLevel.Warning,
        Message = "Refused upstream connection: {Host} resolves to a {Category} address")]
    private static partial void LogDestinationRefused(ILogger logger, string host, AddressCategory category);
}
