using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using McpGrains.Grains.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Sessions;

// The access token: used while current, refreshed (single-flight in the exclusive section) when due.
public sealed partial class McpSessionGrain
{
    public Task<AccessTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(GetAccessTokenLockedAsync, cancellationToken);

    private async Task<AccessTokenResult> GetAccessTokenLockedAsync(CancellationToken cancellationToken)
    {
        if (UsesSharedToken)
        {
            return await GetSharedTokenAsync(cancellationToken);
        }

        if (!_machine.HasTokens)
        {
            var server = await GetServerAsync(cancellationToken);
            return server.Outcome switch
            {
                ServerAuthorizationOutcome.NotRequired => new AccessTokenResult(AccessTokenOutcome.NotRequired, null, null, ConnectionStatus.Connected, null),
                ServerAuthorizationOutcome.Failed => new AccessTokenResult(AccessTokenOutcome.Failed, null, null, _machine.Status, server.Error),
                _ when GrantType == UpstreamGrantTypes.IdentityAssertion && _identityAssertion is not null => await RedeemIdentityAssertionAsync(server.Authorization!, cancellationToken),
                _ => AuthorizationRequired(),
            };
        }

        var authorization = await GetServerAsync(cancellationToken);
        if (authorization.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return new AccessTokenResult(AccessTokenOutcome.Failed, null, null, _machine.Status, authorization.Error
                ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "The server no longer asks for authorization."));
        }

        return await GetAccessTokenCoreAsync(authorization.Authorization!, cancellationToken);
    }

    private Task<AccessTokenResult> GetAccessTokenCoreAsync(ServerAuthorization authorization, CancellationToken cancellationToken) =>
        GetAccessTokenCoreAsync(authorization, TimeSpan.Zero, cancellationToken);

    /// <param name="lookAhead">Refresh when the access token would be due for a refresh this much later (proactive refresh).</param>
    private async Task<AccessTokenResult> GetAccessTokenCoreAsync(ServerAuthorization authorization, TimeSpan lookAhead, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        switch (_machine.DecideTokenUse(now + lookAhead, Options.Authorization.RefreshSkew))
        {
            case RefreshDecision.UseCurrent:
                return CurrentToken();
            case RefreshDecision.AuthorizationRequired:
                if (_machine.HasTokens)
                {
                    _machine.ApplyExpiredWithoutRefresh(now);
                    await _state.WriteStateAsync(cancellationToken);
                    RecordReauthorizationRequired(SessionErrorCodes.AuthorizationExpired);
                    await SyncProactiveRefreshAsync();
                }

                // Enterprise-managed: the host app's current identity assertion gets new tokens, without the user.
                return GrantType == UpstreamGrantTypes.IdentityAssertion && _identityAssertion is not null
                    ? await RedeemIdentityAssertionAsync(authorization, cancellationToken)
                    : AuthorizationRequired();
        }

        var tokens = _state.State.Tokens!;
        var refreshToken = Reveal(tokens.ProtectedRefreshToken!, SecretContexts.RefreshToken(_key));
        var started = _time.GetTimestamp();
        var result = await _tokenClient.RefreshAsync(CreateTokenContext(authorization), refreshToken, scopes: null, cancellationToken);
        now = _time.GetUtcNow();
        if (result.IsSuccess)
        {
            // Persist a rotated refresh token before the new access token is used anywhere.
            _machine.ApplyTokens(CreateTokenSet(result, authorization, tokens.Scopes, tokens.ProtectedRefreshToken, now), now);
            await _state.WriteStateAsync(cancellationToken);
            LogRefreshed(_logger, _key, _time.GetElapsedTime(started).TotalMilliseconds);
            RecordRefresh("success", started, rotated: result.RefreshToken is { Length: > 0 });
            return CurrentToken();
        }

        if (result.IsInvalidGrant)
        {
            _machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The authorization server no longer accepts this connection's refresh token; sign in again."), now);
            await _state.WriteStateAsync(cancellationToken);
            await SyncProactiveRefreshAsync();
            LogRefreshRejected(_logger, _key);
            RecordRefresh(SessionErrorCodes.InvalidGrant, started, rotated: false);
            RecordReauthorizationRequired(SessionErrorCodes.InvalidGrant);
            return AuthorizationRequired();
        }

        var error = new SessionError(SessionErrorCodes.RefreshFailed, $"Refreshing the access token failed ({result.Error}); try again shortly.");
        _machine.ApplyRefreshFailure(error, now);
        await _state.WriteStateAsync(cancellationToken);
        LogRefreshFailed(_logger, _key, result.Error ?? "unknown");
        RecordRefresh("failed", started, rotated: false);
        return tokens.ExpiresAt is { } expiresAt && now < expiresAt
            ? CurrentToken()
            : new AccessTokenResult(AccessTokenOutcome.Failed, null, null, _machine.Status, error);
    }

    private TokenEndpointContext CreateTokenContext(ServerAuthorization authorization) => CompleteTokenContext(new(
        authorization.TokenEndpoint,
        authorization.ClientId,
        authorization.ProtectedClientSecret is null ? null : RevealClientSecret(authorization.ProtectedClientSecret),
        authorization.TokenEndpointAuthMethod,
        authorization.SendResource ? authorization.Resource : null), authorization);

    private TokenSet CreateTokenSet(TokenResult result, ServerAuthorization authorization, List<string> requestedScopes, byte[]? previousRefreshToken, DateTimeOffset now) => new()
    {
        ProtectedAccessToken = Secrets.Protect(result.AccessToken!, SecretContexts.AccessToken(_key)),
        // A refresh response without a refresh token keeps the old one (RFC 6749 section 6).
        ProtectedRefreshToken = result.RefreshToken is { Length: > 0 } refresh ? Secrets.Protect(refresh, SecretContexts.RefreshToken(_key)) : previousRefreshToken,
        ExpiresAt = result.ExpiresIn is { } expiresIn ? now + expiresIn : null,
        Scopes = string.IsNullOrWhiteSpace(result.Scope) ? requestedScopes : result.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
        Issuer = authorization.Issuer,
        ClientId = authorization.ClientId,
        Resource = authorization.Resource,
        ObtainedAt = now,
        TokenType = result.TokenType == TokenClient.DpopTokenType ? TokenClient.DpopTokenType : null,
    };

    private AccessTokenResult CurrentToken()
    {
        var tokens = _state.State.Tokens!;
        return new AccessTokenResult(
            AccessTokenOutcome.Token,
            Reveal(tokens.ProtectedAccessToken, SecretContexts.AccessToken(_key)),
            tokens.ExpiresAt,
            ConnectionStatus.Connected,
            null);
    }

    private AccessTokenResult AuthorizationRequired() =>
        new(AccessTokenOutcome.AuthorizationRequired, null, null, _machine.Status == ConnectionStatus.Connected ? ConnectionStatus.NotConnected : _machine.Status, _state.State.LastError);
}
