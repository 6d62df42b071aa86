using McpGrains.Configuration;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The session's access token: used while current, refreshed when due (once, by whoever holds the exclusive section),
/// renewed from the host app's identity assertion for enterprise-managed servers, or borrowed from the server grain for
/// servers whose users share McpGrains' own token. A rotated refresh token is written before the new access token is used.
/// </summary>
internal sealed class SessionTokens(
    SessionContext context,
    SessionRecord record,
    SessionVault vault,
    SessionTokenEndpoint endpoint,
    IdentityAssertionGrant assertions,
    ServerAuthorizationSource server,
    ProactiveRefreshSchedule schedule)
{
    /// <summary>A shared token the upstream refused: the server grain is asked for another one next time.</summary>
    private string? _rejectedSharedToken;

    public void RejectSharedToken(string? token) => _rejectedSharedToken = token;

    /// <summary>The access token to send upstream, whatever the server's kind of authorization.</summary>
    public async Task<AccessTokenResult> GetAsync(CancellationToken cancellationToken)
    {
        if (context.UsesSharedToken)
        {
            return await GetSharedAsync(cancellationToken);
        }

        var machine = record.Machine;
        var answer = await server.GetAsync(cancellationToken);
        if (!machine.HasTokens)
        {
            return answer.Outcome switch
            {
                ServerAuthorizationOutcome.NotRequired => new AccessTokenResult(AccessTokenOutcome.NotRequired, null, null, ConnectionStatus.Connected, null),
                ServerAuthorizationOutcome.Failed => new AccessTokenResult(AccessTokenOutcome.Failed, null, null, machine.Status, answer.Error),
                _ when context.GrantType == UpstreamGrantTypes.IdentityAssertion && assertions.HasAssertion => await assertions.RedeemAsync(answer.Authorization!, cancellationToken),
                _ => endpoint.AuthorizationRequired(),
            };
        }

        if (answer.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return new AccessTokenResult(AccessTokenOutcome.Failed, null, null, machine.Status, answer.Error
                ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "The server no longer asks for authorization."));
        }

        return await GetCurrentAsync(answer.Authorization!, cancellationToken);
    }

    /// <summary>McpGrains' own token, from the server grain (a new one when the upstream refused the last).</summary>
    public async Task<AccessTokenResult> GetSharedAsync(CancellationToken cancellationToken)
    {
        var rejected = _rejectedSharedToken;
        _rejectedSharedToken = null;
        return await server.GetSharedTokenAsync(rejected, cancellationToken);
    }

    public Task<AccessTokenResult> GetCurrentAsync(ServerAuthorization authorization, CancellationToken cancellationToken) =>
        GetCurrentAsync(authorization, TimeSpan.Zero, cancellationToken);

    /// <summary>The user's access token for <paramref name="authorization"/>, refreshed first when due.</summary>
    /// <param name="lookAhead">Refresh when the access token would be due for a refresh this much later (proactive refresh).</param>
    public async Task<AccessTokenResult> GetCurrentAsync(ServerAuthorization authorization, TimeSpan lookAhead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var (key, time, logger, metrics) = (context.Key, context.Time, context.Logger, context.Metrics);
        var machine = record.Machine;
        var now = time.GetUtcNow();
        switch (machine.DecideTokenUse(now + lookAhead, context.Options.Authorization.RefreshSkew))
        {
            case RefreshDecision.UseCurrent:
                return endpoint.CurrentToken();
            case RefreshDecision.AuthorizationRequired:
                if (machine.HasTokens)
                {
                    machine.ApplyExpiredWithoutRefresh(now);
                    await record.WriteAsync(cancellationToken);
                    metrics.ReauthorizationRequired(SessionErrorCodes.AuthorizationExpired);
                    await schedule.SyncAsync();
                }

                // Enterprise-managed: the host app's current identity assertion gets new tokens, without the user.
                return context.GrantType == UpstreamGrantTypes.IdentityAssertion && assertions.HasAssertion
                    ? await assertions.RedeemAsync(authorization, cancellationToken)
                    : endpoint.AuthorizationRequired();
        }

        var tokens = record.State.Tokens!;
        var refreshToken = vault.Reveal(tokens.ProtectedRefreshToken!, SecretContexts.RefreshToken(key));
        var started = time.GetTimestamp();
        var result = await endpoint.Client.RefreshAsync(endpoint.CreateContext(authorization), refreshToken, scopes: null, cancellationToken);
        now = time.GetUtcNow();
        if (result.IsSuccess)
        {
            // Persist a rotated refresh token before the new access token is used anywhere.
            machine.ApplyTokens(endpoint.CreateTokenSet(result, authorization, tokens.Scopes, tokens.ProtectedRefreshToken, now), now);
            await record.WriteAsync(cancellationToken);
            SessionLog.Refreshed(logger, key, time.GetElapsedTime(started).TotalMilliseconds);
            metrics.Refreshed("success", started, rotated: result.RefreshToken is { Length: > 0 });
            return endpoint.CurrentToken();
        }

        if (result.IsInvalidGrant)
        {
            machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The authorization server no longer accepts this connection's refresh token; sign in again."), now);
            await record.WriteAsync(cancellationToken);
            await schedule.SyncAsync();
            SessionLog.RefreshRejected(logger, key);
            metrics.Refreshed(SessionErrorCodes.InvalidGrant, started, rotated: false);
            metrics.ReauthorizationRequired(SessionErrorCodes.InvalidGrant);
            return endpoint.AuthorizationRequired();
        }

        var error = new SessionError(SessionErrorCodes.RefreshFailed, $"Refreshing the access token failed ({result.Error}); try again shortly.");
        machine.ApplyRefreshFailure(error, now);
        await record.WriteAsync(cancellationToken);
        SessionLog.RefreshFailed(logger, key, result.Error ?? "unknown");
        metrics.Refreshed("failed", started, rotated: false);
        return tokens.ExpiresAt is { } expiresAt && now < expiresAt
            ? endpoint.CurrentToken()
            : new AccessTokenResult(AccessTokenOutcome.Failed, null, null, machine.Status, error);
    }

    /// <summary>
    /// The proactive refresh reminder's tick: refresh now if the token would be due before the next tick, by the rule
    /// every call uses. A token that lives shorter than the interval cannot be kept current by the ticks: it is
    /// refreshed when used.
    /// </summary>
    public async Task RefreshProactivelyAsync(CancellationToken cancellationToken)
    {
        var options = context.Options.Authorization;
        if (!options.ProactiveRefresh || record.State.Tokens?.ProtectedRefreshToken is null)
        {
            await schedule.RemoveAsync();
            return;
        }

        var interval = options.ProactiveRefreshInterval;
        var now = context.Time.GetUtcNow();
        if (!record.Machine.ShouldRefreshBefore(now, now + interval, options.RefreshSkew))
        {
            return;
        }

        var answer = await server.GetAsync(cancellationToken);
        if (answer.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return;
        }

        await GetCurrentAsync(answer.Authorization!, interval, cancellationToken);
    }
}
