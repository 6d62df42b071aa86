using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

public sealed partial class McpServerGrain
{
    [LoggerMessage(LogEvents.ServerDiscovered, LogLevel.Information, "Server {ServerId}: authorization server {Issuer} discovered; {ScopeCount} scope(s) to request")]
    private static partial void LogDiscovered(ILogger logger, string serverId, string issuer, int scopeCount);

    [LoggerMessage(LogEvents.ServerDiscoveryFailed, LogLevel.Warning, "Server {ServerId}: discovery or registration failed: {ErrorCode}: {Reason}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string serverId, string errorCode, string reason);

    [LoggerMessage(LogEvents.ServerRegistered, LogLevel.Information, "Server {ServerId}: registered client {ClientId} with {Issuer}")]
    private static partial void LogRegistered(ILogger logger, string serverId, string issuer, string clientId);

    [LoggerMessage(LogEvents.ServerReset, LogLevel.Information, "Server {ServerId}: discovery reset: {Reason}")]
    private static partial void LogReset(ILogger logger, string serverId, string reason);

    [LoggerMessage(LogEvents.ServerNoAuthorization, LogLevel.Information, "Server {ServerId}: answers without authorization")]
    private static partial void LogNoAuthorization(ILogger logger, string serverId);

    [LoggerMessage(LogEvents.ServerChallengeRediscovered, LogLevel.Information, "Server {ServerId}: discovered again from a challenge; authorization server {PreviousIssuer} -> {Issuer}")]
    private static partial void LogChallengeRediscovered(ILogger logger, string serverId, string previousIssuer, string issuer);

    [LoggerMessage(LogEvents.ServerIssuerChanged, LogLevel.Warning, "Server {ServerId}: names authorization server {Issuer}, but is pinned to {PinnedIssuer}; nothing is sent to it (issuer_changed)")]
    private static partial void LogIssuerChanged(ILogger logger, string serverId, string pinnedIssuer, string issuer);

    [LoggerMessage(LogEvents.ServerIssuerPinned, LogLevel.Information, "Server {ServerId}: configured client credentials pinned to authorization server {Issuer}")]
    private static partial void LogIssuerPinned(ILogger logger, string serverId, string issuer);
}
