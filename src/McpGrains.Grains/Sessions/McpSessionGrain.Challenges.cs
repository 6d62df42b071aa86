using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Upstream;
using ModelContextProtocol;

namespace McpGrains.Grains.Sessions;

// What the upstream says about the token: the access token for a request, unexpected challenges, step-up, a refused token.
public sealed partial class McpSessionGrain
{
    private async Task<(string? AccessToken, UpstreamResult? Failure)> AcquireUpstreamTokenAsync(CancellationToken cancellationToken)
    {
        var token = await GetAccessTokenLockedAsync(cancellationToken);
        switch (token.Outcome)
        {
            case AccessTokenOutcome.Token:
                return (token.AccessToken, null);
            case AccessTokenOutcome.NotRequired:
                return (null, null);
            case AccessTokenOutcome.AuthorizationRequired when IdentityAssertionOnly:
                // No browser sign-in to offer: the host app must send the user's identity assertion.
                return (null, UpstreamResult.AuthorizationRequired(null, token.Error ?? IdentityAssertionMissing(_key.ServerId)));
            case AccessTokenOutcome.AuthorizationRequired:
                return (null, UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationLockedAsync(cancellationToken), token.Error));
            default:
                return (null, UpstreamResult.Unavailable(token.Error ?? new SessionError(SessionErrorCodes.UpstreamUnavailable, "No access token could be obtained.")));
        }
    }

    /// <summary>
    /// A 401 the cached discovery did not expect: the server needs authorization after all (or moved to another
    /// authorization server). The server grain discovers again from the challenge; the user is sent to authorize.
    /// </summary>
    private async Task<UpstreamResult> OnUnexpectedChallengeAsync(string? challenge, CancellationToken cancellationToken)
    {
        await CloseConnectionAsync("authorization required");
        _server = null;
        var server = await ServerGrain.ReportChallengeAsync(challenge ?? "Bearer", _time.GetUtcNow(), cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(server.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "The server asked for authorization but none could be discovered."));
        }

        _server = server;
        if (_machine.Status == ConnectionStatus.Connected && !_machine.HasTokens)
        {
            _machine.Disconnect(_time.GetUtcNow());
            await _state.WriteStateAsync(cancellationToken);
        }

        return UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationLockedAsync(cancellationToken), null);
    }

    /// <summary>
    /// 403 insufficient_scope: authorize again with the union of the granted and the challenged scopes. Bounded: the
    /// same scope set is asked for at most <see cref="MaxStepUpsPerScopeSet"/> times, then the call fails.
    /// </summary>
    private async Task<UpstreamResult> StepUpAsync(string method, string? refusal, CancellationToken cancellationToken)
    {
        var challenge = McpGrains.OAuth.WwwAuthenticateChallenge.Parse(refusal);
        if (challenge?.Error != "insufficient_scope")
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {method} (HTTP 403).", null));
        }

        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(server.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "Step-up is not possible: the server has no authorization server."));
        }

        var granted = _state.State.Tokens?.Scopes ?? (IReadOnlyList<string>)server.Authorization!.Scopes;
        var scopes = McpGrains.OAuth.ScopeSelector.Union(granted, challenge.Scope).ToList();
        var scopeSet = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var insufficient = new SessionError(SessionErrorCodes.InsufficientScope, $"{method} needs more scopes: {scopeSet}.");
        if (_machine.GetReusablePending(_time.GetUtcNow(), MinimumPendingLifetime) is { } current && scopes.All(current.Scopes.Contains))
        {
            // Calls in flight together met the same refusal: one sign-in link serves them all, and counts once.
            return UpstreamResult.AuthorizationRequired(DescribePending(current), insufficient);
        }

        var attempts = _stepUps.GetValueOrDefault(scopeSet);
        if (attempts >= MaxStepUpsPerScopeSet)
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server still refuses {method} for lack of scope after {attempts} re-authorizations; giving up.", null));
        }

        _stepUps[scopeSet] = attempts + 1;
        LogStepUp(_logger, _key, method, scopeSet);
        var pending = await BeginAuthorizationCoreAsync(server.Authorization!, returnUrl: null, cancellationToken, scopes);
        return UpstreamResult.AuthorizationRequired(pending is null ? null : DescribePending(pending), insufficient);
    }

    /// <summary>
    /// Hands a 401 challenge on our own token to the server grain, which discovers again when it has not since the
    /// challenge was seen; a new issuer means a new registration, and this session's tokens no longer apply. The
    /// <c>issuer_changed</c> error when the server now names an issuer it is not pinned to (nothing more can be done).
    /// </summary>
    private async Task<SessionError?> ReportTokenChallengeAsync(string? challenge, CancellationToken cancellationToken)
    {
        if (challenge is not { Length: > 0 })
        {
            return null;
        }

        var issuer = _state.State.Tokens?.Issuer;
        _server = null;
        var server = await ServerGrain.ReportChallengeAsync(challenge, _time.GetUtcNow(), cancellationToken);
        if (server.Error?.Code == SessionErrorCodes.IssuerChanged)
        {
            // The server moved to an issuer it is not pinned to: this connection's tokens are useless, and signing in
            // again there is refused; the connection says so until the operator decides.
            await CloseConnectionAsync("issuer changed");
            _machine.ApplyServerRefused(server.Error, _time.GetUtcNow());
            await _state.WriteStateAsync(cancellationToken);
            await SyncProactiveRefreshAsync();
            return server.Error;
        }

        if (server.Outcome == ServerAuthorizationOutcome.Ready && issuer is not null && server.Authorization!.Issuer != issuer)
        {
            _machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The server moved to another authorization server; sign in again."), _time.GetUtcNow());
            await _state.WriteStateAsync(cancellationToken);
            RecordReauthorizationRequired("issuer_moved");
            await SyncProactiveRefreshAsync();
        }

        return null;
    }

    private async Task<UpstreamResult> RequireReauthorizationAsync(string? challenge, CancellationToken cancellationToken)
    {
        if (await ReportTokenChallengeAsync(challenge, cancellationToken) is { } refused)
        {
            return UpstreamResult.Unavailable(refused);
        }

        var now = _time.GetUtcNow();
        _machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The upstream server rejected a freshly refreshed access token; sign in again."), now);
        await _state.WriteStateAsync(cancellationToken);
        RecordReauthorizationRequired("token_rejected");
        await SyncProactiveRefreshAsync();
        await CloseConnectionAsync("token rejected");
        return UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationLockedAsync(cancellationToken), _state.State.LastError);
    }
}
