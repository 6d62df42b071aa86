using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

public sealed partial class TokenClient
{
    [LoggerMessage(EventId = OAuthLogEvents.TokenRequestSucceeded, Level = LogLevel.Debug,
        Message = "Token request {GrantType} to {Endpoint} succeeded (refresh token issued: {HasRefreshToken})")]
    private static partial void LogTokenRequestSucceeded(ILogger logger, string grantType, string endpoint, bool hasRefreshToken);

    [LoggerMessage(EventId = OAuthLogEvents.TokenRequestFailed, Level = LogLevel.Warning,
        Message = "Token request {GrantType} to {Endpoint} failed: {Error} (HTTP {StatusCode})")]
    private static partial void LogTokenRequestFailed(ILogger logger, string grantType, string endpoint, string? error, int? statusCode);

    [LoggerMessage(EventId = OAuthLogEvents.RevocationFailed, Level = LogLevel.Information,
        Message = "Token revocation at {Endpoint} failed: {Reason}")]
    private static partial void LogRevocationFailed(ILogger logger, string endpoint, string reason);
}
