using McpGrains.Grains.Upstream;
using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// What the upstream says about the session's token, and what the OAuth state makes of it: the token a request
/// carries, an unexpected challenge, a step-up, a refused token. Runs in the exclusive section.
/// </summary>
internal sealed class UpstreamChallenges(
    SessionContext context,
    SessionRecord record,
    UpstreamSession upstream,
    ServerAuthorizationSource server,
    SessionTokens tokens,
    SessionConnector connector,
    AuthorizationFlow flow,
    StepUpPolicy stepUps,
    ProactiveRefreshSchedule schedule)
{
    /// <summary>The access token for a request (null: none needed), or the answer to give instead.</summary>
    public async Task<(string? AccessToken, UpstreamResult? Failure)> AcquireTokenAsync(CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        switch (token.Outcome)
        {
            case AccessTokenOutcome.Token:
                return (token.AccessToken, null);
            case AccessTokenOutcome.NotRequired:
                return (null, null);
            case AccessTokenOutcome.AuthorizationRequired when context.IdentityAssertionOnly:
                // No browser sign-in to offer: the host app must send the user's identity assertion.
                return (null, UpstreamResult.AuthorizationRequired(null, token.Error ?? IdentityAssertionGrant.Missing(context.Key.ServerId)));
            case AccessTokenOutcome.AuthorizationRequired:
                return (null, UpstreamResult.AuthorizationRequired(await connector.GetPendingAuthorizationAsync(cancellationToken), token.Error));
            default:
                return (null, UpstreamResult.Unavailable(token.Error ?? new SessionError(SessionErrorCodes.UpstreamUnavailable, "No access token could be obtained.")));
        }
    }

    /// <summary>
    /// A 401 the cached discovery did not expect: the server needs authorization after all (or moved to another
    /// authorization server). The server grain discovers again from the challenge; the user is sent to authorize.
    /// </summary>
    public async Task<UpstreamResult> OnUnexpectedChallengeAsync(string? challenge, CancellationToken cancellationToken)
    {
        await upstream.CloseAsync("authorization required");
        var answer = await server.ReportChallengeAsync(challenge ?? "Bearer", cancellationToken);
        if (answer.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(answer.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "The server asked for authorization but none could be discovered."));
        }

        server.Remember(answer);
        var machine = record.Machine;
        if (machine.Status == ConnectionStatus.Connected && !machine.HasTokens)
        {
            machine.Disconnect(context.Time.GetUtcNow());
            await record.WriteAsync(cancellationToken);
        }

        return UpstreamResult.AuthorizationRequired(await connector.GetPendingAuthorizationAsync(cancellationToken), null);
    }

    /// <summary>A 403: a step-up when the challenge is insufficient_scope (see <see cref="StepUpPolicy"/>), else the refusal.</summary>
    public async Task<UpstreamResult> StepUpAsync(string method, string? refusal, CancellationToken cancellationToken)
    {
        var challenge = WwwAuthenticateChallenge.Parse(refusal);
        if (challenge?.Error != "insufficient_scope")
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {method} (HTTP 403).", null));
        }

        var answer = await server.GetAsync(cancellationToken);
        if (answer.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(answer.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "Step-up is not possible: the server has no authorization server."));
        }

        var granted = record.State.Tokens?.Scopes ?? (IReadOnlyList<string>)answer.Authorization!.Scopes;
        var current = record.Machine.GetReusablePending(context.Time.GetUtcNow(), AuthorizationFlow.MinimumPendingLifetime);
        var decision = stepUps.Decide(granted, challenge.Scope, current);
        var insufficient = new SessionError(SessionErrorCodes.InsufficientScope, $"{method} needs more scopes: {decision.ScopeSet}.");
        switch (decision.Outcome)
        {
            case StepUpOutcome.ReusePending:
                return UpstreamResult.AuthorizationRequired(flow.DescribePending(current!), insufficient);
            case StepUpOutcome.GiveUp:
                return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server still refuses {method} for lack of scope after {decision.Attempts} re-authorizations; giving up.", null));
        }

        SessionLog.StepUp(context.Logger, context.Key, method, decision.ScopeSet);
        var pending = await flow.BeginPendingAsync(answer.Authorization!, returnUrl: null, cancellationToken, decision.Scopes);
        return UpstreamResult.AuthorizationRequired(pending is null ? null : flow.DescribePending(pending), insufficient);
    }

    /// <summary>
    /// Hands a 401 challenge on our own token to the server grain, which discovers again when it has not since the
    /// challenge was seen; a new issuer means a new registration, and this session's tokens no longer apply. The
    /// <c>issuer_changed</c> error when the server now names an issuer it is not pinned to (nothing more can be done).
    /// </summary>
    public async Task<SessionError?> ReportTokenChallengeAsync(string? challenge, CancellationToken cancellationToken)
    {
        if (challenge is not { Length: > 0 })
        {
            return null;
        }

        var issuer = record.State.Tokens?.Issuer;
        var answer = await server.ReportChallengeAsync(challenge, cancellationToken);
        if (answer.Error?.Code == SessionErrorCodes.IssuerChanged)
        {
            // The server moved to an issuer it is not pinned to: this connection's tokens are useless, and signing in
            // again there is refused; the connection says so until the operator decides.
            await upstream.CloseAsync("issuer changed");
            record.Machine.ApplyServerRefused(answer.Error, context.Time.GetUtcNow());
            await record.WriteAsync(cancellationToken);
            await schedule.SyncAsync();
            return answer.Error;
        }

        if (answer.Outcome == ServerAuthorizationOutcome.Ready && issuer is not null && answer.Authorization!.Issuer != issuer)
        {
            record.Machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The server moved to another authorization server; sign in again."), context.Time.GetUtcNow());
            await record.WriteAsync(cancellationToken);
            context.Metrics.ReauthorizationRequired("issuer_moved");
            await schedule.SyncAsync();
        }

        return null;
    }

    /// <summary>A freshly refreshed token refused too: the user must authorize again.</summary>
    public async Task<UpstreamResult> RequireReauthorizationAsync(string? challenge, CancellationToken cancellationToken)
    {
        if (await ReportTokenChallengeAsync(challenge, cancellationToken) is { } refused)
        {
            return UpstreamResult.Unavailable(refused);
        }

        record.Machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The upstream server rejected a freshly refreshed access token; sign in again."), context.Time.GetUtcNow());
        await record.WriteAsync(cancellationToken);
        context.Metrics.ReauthorizationRequired("token_rejected");
        await schedule.SyncAsync();
        await upstream.CloseAsync("token rejected");
        return UpstreamResult.AuthorizationRequired(await connector.GetPendingAuthorizationAsync(cancellationToken), record.State.LastError);
    }
}
