using System.Security.Cryptography;
using System.Text;
using McpGrains.Configuration;
using McpGrains.Grains.Grants;
using McpGrains.OAuth;
using McpGrains.Security;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

/// <summary>
/// The token of a server whose users share McpGrains' own token: client credentials (RFC 6749 section 4.4) or a
/// workload identity JWT (RFC 7523 section 2.1), stored encrypted in <see cref="McpServerState.SharedToken"/>. Used
/// until a quarter of its lifetime (at most the refresh skew) is left, as user tokens are; a refused grant is not asked
/// again for <c>failureBackoff</c>. Its grain is not reentrant, so concurrent sessions get one token request.
/// </summary>
internal sealed class SharedTokenSource(
    string serverId,
    IStoredState<McpServerState> store,
    ISecretProtector protector,
    TokenClient tokenClient,
    TimeSpan refreshSkew,
    TimeSpan failureBackoff,
    TimeProvider time,
    ILogger logger)
{
    private SessionError? _failure;
    private DateTimeOffset _failureUntil;

    /// <summary>The stored token while fresh and not <paramref name="rejectedToken"/>; otherwise a new one.</summary>
    public async Task<AccessTokenResult> GetAsync(UpstreamOAuthOptions oauth, ServerAuthorization authorization, string? rejectedToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(oauth);
        ArgumentNullException.ThrowIfNull(authorization);
        var now = time.GetUtcNow();
        var context = SecretContexts.SharedAccessToken(serverId);
        if (store.State.SharedToken is { } stored && stored.Issuer == authorization.Issuer)
        {
            var token = protector.Unprotect(stored.ProtectedAccessToken, context);
            if (rejectedToken is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(rejectedToken)))
            {
                if (IsFresh(stored, now))
                {
                    return new AccessTokenResult(AccessTokenOutcome.Token, token, stored.ExpiresAt, ConnectionStatus.Connected, null);
                }
            }
            else
            {
                ServerLog.SharedTokenRejected(logger, serverId);
            }
        }

        if (_failure is not null && now < _failureUntil)
        {
            // A refused grant is not asked again at once (SEP-1933: surface the error, do not retry in a loop).
            return Failed(_failure);
        }

        var result = await RequestAsync(oauth, authorization, cancellationToken);
        now = time.GetUtcNow();
        if (!result.IsSuccess)
        {
            _failure = new SessionError(SessionErrorCodes.TokenExchangeFailed, $"The authorization server refused McpGrains' {oauth.GrantType} token request ({result.Error}{(result.ErrorDescription is { } d ? ": " + d : "")}).");
            _failureUntil = now + failureBackoff;
            store.State.SharedToken = null;
            await store.WriteAsync(cancellationToken);
            ServerLog.SharedTokenFailed(logger, serverId, oauth.GrantType, result.Error ?? "unknown");
            return Failed(_failure);
        }

        _failure = null;
        store.State.SharedToken = new SharedToken
        {
            ProtectedAccessToken = protector.Protect(result.AccessToken!, context),
            ExpiresAt = result.ExpiresIn is { } expiresIn ? now + expiresIn : null,
            ObtainedAt = now,
            Issuer = authorization.Issuer,
            Scopes = string.IsNullOrWhiteSpace(result.Scope) ? [.. authorization.Scopes] : [.. result.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        };
        await store.WriteAsync(cancellationToken);
        ServerLog.SharedTokenObtained(logger, serverId, oauth.GrantType, authorization.Issuer);
        return new AccessTokenResult(AccessTokenOutcome.Token, result.AccessToken, store.State.SharedToken.ExpiresAt, ConnectionStatus.Connected, null);
    }

    public static AccessTokenResult Failed(SessionError error) => new(AccessTokenOutcome.Failed, null, null, ConnectionStatus.Error, error);

    private bool IsFresh(SharedToken token, DateTimeOffset now)
    {
        if (token.ExpiresAt is not { } expiresAt)
        {
            return true;
        }

        var lifetime = expiresAt - token.ObtainedAt;
        var margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(refreshSkew.Ticks, lifetime.Ticks / 4));
        return now < expiresAt - margin;
    }

    private async Task<TokenResult> RequestAsync(UpstreamOAuthOptions oauth, ServerAuthorization authorization, CancellationToken cancellationToken)
    {
        TokenEndpointContext context;
        string? assertion = null;
        try
        {
            context = GrantCredentials.CreateContext(authorization, oauth, protector, serverId);
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
            ? await tokenClient.ClientCredentialsAsync(context, scopes, cancellationToken)
            : await tokenClient.JwtBearerAsync(context, assertion, scopes, cancellationToken);
    }
}
