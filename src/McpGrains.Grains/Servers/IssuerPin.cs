using McpGrains.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

/// <summary>
/// Client credentials stay with the authorization server they belong to (issue 10, finding 4). The pin is the
/// configured <c>OAuth:Issuer</c>, else the issuer the configured client credentials were first used with (persisted in
/// <see cref="McpServerState.PinnedIssuer"/>). A server with dynamic registration and no configured issuer is not
/// pinned: each issuer gets its own registration, so no credential can follow a move.
/// </summary>
internal sealed class IssuerPin(string serverId, IStoredState<McpServerState> store, ILogger logger)
{
    /// <summary>The last refusal logged by this activation, so that every session's call does not log it again.</summary>
    private string? _loggedIssuerChange;

    /// <summary>Null when <paramref name="discovery"/> may be used; otherwise the <c>issuer_changed</c> answer.</summary>
    public async Task<ServerAuthorizationResult?> CheckAsync(UpstreamServerOptions server, DiscoveredAuthorizationServer discovery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(discovery);
        var configured = server.OAuth.Issuer;
        var pinned = configured ?? store.State.PinnedIssuer;
        if (pinned is not null && !string.Equals(pinned, discovery.Issuer, StringComparison.Ordinal))
        {
            if (_loggedIssuerChange != discovery.Issuer)
            {
                _loggedIssuerChange = discovery.Issuer;
                ServerLog.IssuerChanged(logger, serverId, pinned, discovery.Issuer);
            }

            var source = configured is not null
                ? $"McpGrains:Servers:{serverId}:OAuth:Issuer"
                : "the first one seen, because client credentials are configured";
            return ServerAuthorizationResult.Failed(new SessionError(
                SessionErrorCodes.IssuerChanged,
                $"The server now names the authorization server {discovery.Issuer}, but it is pinned to {pinned} ({source}); nothing is sent to "
                + $"{discovery.Issuer}. If the move is intended, set McpGrains:Servers:{serverId}:OAuth:Issuer to the new issuer."));
        }

        if (!string.IsNullOrEmpty(server.OAuth.ClientId) && store.State.PinnedIssuer != discovery.Issuer)
        {
            store.State.PinnedIssuer = discovery.Issuer;
            await store.WriteAsync(cancellationToken);
            ServerLog.IssuerPinned(logger, serverId, discovery.Issuer);
        }

        return null;
    }
}
