using McpGrains.Configuration;

namespace McpGrains.Grains.Servers;

// Client credentials stay with the authorization server they belong to (issue 10, finding 4).
public sealed partial class McpServerGrain
{
    /// <summary>The last refusal logged by this activation, so that every session's call does not log it again.</summary>
    private string? _loggedIssuerChange;

    /// <summary>
    /// Null when <paramref name="discovery"/> may be used; otherwise the <c>issuer_changed</c> answer. The pin is the
    /// configured <c>OAuth:Issuer</c>, else the issuer the configured client credentials were first used with
    /// (persisted). A server with dynamic registration and no configured issuer is not pinned: each issuer gets its own
    /// registration, so no credential can follow a move.
    /// </summary>
    private async Task<ServerAuthorizationResult?> CheckIssuerPinAsync(UpstreamServerOptions server, DiscoveredAuthorizationServer discovery, CancellationToken cancellationToken)
    {
        var configured = server.OAuth.Issuer;
        var pinned = configured ?? _state.State.PinnedIssuer;
        if (pinned is not null && !string.Equals(pinned, discovery.Issuer, StringComparison.Ordinal))
        {
            if (_loggedIssuerChange != discovery.Issuer)
            {
                _loggedIssuerChange = discovery.Issuer;
                LogIssuerChanged(_logger, _serverId, pinned, discovery.Issuer);
            }

            var source = configured is not null
                ? $"McpGrains:Servers:{_serverId}:OAuth:Issuer"
                : "the first one seen, because client credentials are configured";
            return ServerAuthorizationResult.Failed(new SessionError(
                SessionErrorCodes.IssuerChanged,
                $"The server now names the authorization server {discovery.Issuer}, but it is pinned to {pinned} ({source}); nothing is sent to "
                + $"{discovery.Issuer}. If the move is intended, set McpGrains:Servers:{_serverId}:OAuth:Issuer to the new issuer."));
        }

        if (!string.IsNullOrEmpty(server.OAuth.ClientId) && _state.State.PinnedIssuer != discovery.Issuer)
        {
            _state.State.PinnedIssuer = discovery.Issuer;
            await _state.WriteStateAsync(cancellationToken);
            LogIssuerPinned(_logger, _serverId, discovery.Issuer);
        }

        return null;
    }
}
