using System.Security.Cryptography;
using McpGrains.Configuration;
using McpGrains.Grains.Grants;
using McpGrains.OAuth;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

// The token of a server whose users share McpGrains' own token: client credentials (RFC 6749 section 4.4) or a workload
// identity JWT (RFC 7523 section 2.1). The grain is not reentrant, so concurrent sessions get one token request.
public sealed partial class McpServerGrain
{
    private SessionError? _sharedTokenFailure;
    private DateTimeOffset _sharedTokenFailureUntil;

    public async Task<AccessTokenResult> GetSharedTokenAsync(string? rejectedToken, CancellationToken cancellationToken = default)
    {
        using var network = PrivateNetworkAccess.Allow(AllowPrivateNetwork);
        var server = _options.Value.Servers.GetValueOrDefault(_serverId);
        if (server is null || !UpstreamGrantTypes.IsShared(server.OAuth.GrantType))
        {
            return Failed(new SessionError(SessionErrorCodes.DiscoveryFailed, $"Server '{_serverId}' does not use a shared token."));
        }

        var authorization = await GetAuthorizationCoreAsync(cancellationToken);
        switch (authorization.Outcome)
        {
            case ServerAuthorizationOutcome.NotRequired:
                return new AccessTokenResult(AccessTokenOutcome.NotRequired, null, null, ConnectionStatus.Connected, null);
            case ServerAuthorizationOutcome.Failed:
                return Failed(authorization.Error!);
        }

        var ready = authorization.Authorization!;
        var now = _time.GetUtcNow();
        var context = SecretContexts.SharedAccessToken(_serverId);
        if (_state.State.SharedToken is { } stored && stored.Issuer == ready.Issuer)
        {
            var token = _protector.Unprotect(stored.ProtectedAccessToken, context);
            if (rejectedToken is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(rejectedToken)))
            {
                if (IsFresh(stored, now))
                {
                    return new AccessTokenResult(AccessTokenOutcome.Token, token, stored.ExpiresAt, ConnectionStatus.Connected, null);
                }
            }
            else
            {
                LogSharedTokenRejected(_logger, _serverId);
            }
        }

        if (_sharedTokenFailure is not null && now < _sharedTokenFailureUntil)
        {
            // A refused grant is not asked again at once (SEP-1933: surface the error, do not retry in a loop).
            return Failed(_sharedTokenFailure);
        }

        var result = await RequestSharedTokenAsync(server.OAuth, ready, cancellationToken);
        now = _time.GetUtcNow();
        if (!result.IsSuccess)
        {
            _sharedTokenFailure = new SessionError(SessionErrorCodes.TokenExchangeFailed, $"The authorization server refused McpGrains' {server.OAuth.GrantType} token request ({result.Error}{(result.ErrorDescription is { } d ? ": " + d : "")}).");
            _sharedTokenFailureUntil = now + FailureBackoff;
            _state.State.SharedToken = null;
            await _state.WriteStateAsync(cancellationToken);
            LogSharedTokenFailed(_logger, _serverId, server.OAuth.GrantType, result.Error ?? "unknown");
            return Failed(_sharedTokenFailure);
        }

        _sharedTokenFailure = null;
        _state.State.SharedToken = new SharedToken
        {
            ProtectedAccessToken = _protector.Protect(result.AccessToken!, context),
            ExpiresAt = result.ExpiresIn is { } expiresIn ? now + expiresIn : null,
            ObtainedAt = now,
            Issuer = ready.Issuer,
            Scopes = string.IsNullOrWhiteSpace(result.Scope) ? [.. ready.Scopes] : [.. result.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        };
        await _state.WriteStateAsync(cancellationToken);
        LogSharedTokenObtained(_logger, _serverId, server.OAuth.GrantType, ready.Issuer);
        return new AccessTokenResult(AccessTokenOutcome.Token, result.AccessToken, _state.State.SharedToken.ExpiresAt, ConnectionStatus.Connected, null);
    }

    /// <summary>Used until a quarter of its lifetime (at most the refresh skew) is left, as user tokens are.</summary>
    private bool IsFresh(SharedToken token, DateTimeOffset now)
    {
        if (token.ExpiresAt is not { } expiresAt)
        {
            return true;
        }

        var lifetime = expiresAt - token.ObtainedAt;
        var margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(_options.Value.Authorization.RefreshSkew.Ticks, lifetime.Ticks / 4));
        return now < expiresAt - margin;
    }

    private async Task<TokenResult> RequestSharedTokenAsync(UpstreamOAuthOptions oauth, ServerAuthorization authorization, CancellationToken cancellationToken)
    {
        TokenEndpointContext context;
        string? assertion = null;
        try
        {
            context = GrantCredentials.CreateContext(authorization, oauth, _protector, _serverId);
            if (oauth.GrantType == UpstreamGrantTypes.JwtBearer)
            {
                assertion = GrantCredentials.ReadAssertion(oauth);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return TokenResult.Failure("configuration_error", ex.Message, null);
        }

        var scopes = authorization.Scopes.Count == 0 ? null : authorization.Scopes;
        return assertion is null
            ? await _tokenClient.ClientCredentialsAsync(context, scopes, cancellationToken)
            : await _tokenClient.JwtBearerAsync(context, assertion, scopes, cancellationToken);
    }

    private static AccessTokenResult Failed(SessionError error) => new(AccessTokenOutcome.Failed, null, null, ConnectionStatus.Error, error);

    [LoggerMessage(LogEvents.ServerSharedTokenObtained, LogLevel.Information, "Server {ServerId}: obtained McpGrains' own token ({GrantType}) from {Issuer}")]
    private static partial void LogSharedTokenObtained(ILogger logger, string serverId, string grantType, string issuer);

    [LoggerMessage(LogEvents.ServerSharedTokenFailed, LogLevel.Warning, "Server {ServerId}: the {GrantType} token request failed: {Error}")]
    private static partial void LogSharedTokenFailed(ILogger logger, string serverId, string grantType, string error);

    [LoggerMessage(LogEvents.ServerSharedTokenRejected, LogLevel.Information, "Server {ServerId}: the upstream server refused the shared token; obtaining a new one")]
    private static partial void LogSharedTokenRejected(ILogger logger, string serverId);
}
