using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

/// <summary>What a server grain and its parts log, under the grain's category: server ids, issuers, codes; never secrets.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(LogEvents.ServerDiscovered, LogLevel.Information, "Server {ServerId}: authorization server {Issuer} discovered; {ScopeCount} scope(s) to request")]
    public static partial void Discovered(ILogger logger, string serverId, string issuer, int scopeCount);

    [LoggerMessage(LogEvents.ServerDiscoveryFailed, LogLevel.Warning, "Server {ServerId}: discovery or registration failed: {ErrorCode}: {Reason}")]
    public static partial void DiscoveryFailed(ILogger logger, string serverId, string errorCode, string reason);

    [LoggerMessage(LogEvents.ServerRegistered, LogLevel.Information, "Server {ServerId}: registered client {ClientId} with {Issuer}")]
    public static partial void Registered(ILogger logger, string serverId, string issuer, string clientId);

    [LoggerMessage(LogEvents.ServerReset, LogLevel.Information, "Server {ServerId}: discovery reset: {Reason}")]
    public static partial void Reset(ILogger logger, string serverId, string reason);

    [LoggerMessage(LogEvents.ServerNoAuthorization, LogLevel.Information, "Server {ServerId}: answers without authorization")]
    public static partial void NoAuthorization(ILogger logger, string serverId);

    [LoggerMessage(LogEvents.ServerChallengeRediscovered, LogLevel.Information, "Server {ServerId}: discovered again from a challenge; authorization server {PreviousIssuer} -> {Issuer}")]
    public static partial void ChallengeRediscovered(ILogger logger, string serverId, string previousIssuer, string issuer);

    [LoggerMessage(LogEvents.ServerIssuerChanged, LogLevel.Warning, "Server {ServerId}: names authorization server {Issuer}, but is pinned to {PinnedIssuer}; nothing is sent to it (issuer_changed)")]
    public static partial void IssuerChanged(ILogger logger, string serverId, string pinnedIssuer, string issuer);

    [LoggerMessage(LogEvents.ServerIssuerPinned, LogLevel.Information, "Server {ServerId}: configured client credentials pinned to authorization server {Issuer}")]
    public static partial void IssuerPinned(ILogger logger, string serverId, string issuer);

    [LoggerMessage(LogEvents.ServerSharedTokenObtained, LogLevel.Information, "Server {ServerId}: obtained McpGrains' own token ({GrantType}) from {Issuer}")]
    public static partial void SharedTokenObtained(ILogger logger, string serverId, string grantType, string issuer);

    [LoggerMessage(LogEvents.ServerSharedTokenFailed, LogLevel.Warning, "Server {ServerId}: the {GrantType} token request failed: {Error}")]
    public static partial void SharedTokenFailed(ILogger logger, string serverId, string grantType, string error);

    [LoggerMessage(LogEvents.ServerSharedTokenRejected, LogLevel.Information, "Server {ServerId}: the upstream server refused the shared token; obtaining a new one")]
    public static partial void SharedTokenRejected(ILogger logger, string serverId);
}
