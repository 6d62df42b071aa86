using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

public sealed partial class ClientRegistrar
{
    [LoggerMessage(EventId = OAuthLogEvents.ClientRegistered, Level = LogLevel.Information,
        Message = "Registered client {ClientId} with issuer {Issuer} using {AuthMethod}")]
    private static partial void LogClientRegistered(ILogger logger, string clientId, string issuer, string authMethod);

    [LoggerMessage(EventId = OAuthLogEvents.ClientRegistrationFailed, Level = LogLevel.Warning,
        Message = "Client registration with issuer {Issuer} failed: {StatusCode} {Error}")]
    private static partial void LogClientRegistrationFailed(ILogger logger, string issuer, int statusCode, string? error);
}
