using McpGrains.Configuration;
using McpGrains.Grains.Grants;
using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The session's side of its authorization server's token endpoint: how a request authenticates (client secret or
/// private key, DPoP proof), the token set a response becomes, the access token as a result, and revocation.
/// </summary>
internal sealed class SessionTokenEndpoint(SessionContext context, SessionRecord record, SessionVault vault, TokenClient client, ServerAuthorizationSource server)
{
    private readonly McpSessionKey _key = context.Key;

    public TokenClient Client => client;

    /// <summary>Who the session is at <paramref name="authorization"/>'s token endpoint, with the connection's DPoP key when it binds tokens.</summary>
    public TokenEndpointContext CreateContext(ServerAuthorization authorization)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var endpoint = new TokenEndpointContext(
            authorization.TokenEndpoint,
            authorization.ClientId,
            authorization.ProtectedClientSecret is null ? null : vault.RevealClientSecret(authorization.ProtectedClientSecret),
            authorization.TokenEndpointAuthMethod,
            authorization.SendResource ? authorization.Resource : null);

        // Adds what the configuration holds (a private key) and the connection's DPoP key to the request.
        return GrantCredentials.WithConfiguredKey(endpoint, authorization, context.Server.OAuth) with
        {
            Dpop = authorization.Dpop ? vault.GetOrCreateDpopKey() : null,
        };
    }

    /// <summary>A successful token response as stored: encrypted, with its expiry, scopes and issuer.</summary>
    public TokenSet CreateTokenSet(TokenResult result, ServerAuthorization authorization, List<string> requestedScopes, byte[]? previousRefreshToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(authorization);
        return new TokenSet
        {
            ProtectedAccessToken = vault.Protect(result.AccessToken!, SecretContexts.AccessToken(_key)),
            // A refresh response without a refresh token keeps the old one (RFC 6749 section 6).
            ProtectedRefreshToken = result.RefreshToken is { Length: > 0 } refresh ? vault.Protect(refresh, SecretContexts.RefreshToken(_key)) : previousRefreshToken,
            ExpiresAt = result.ExpiresIn is { } expiresIn ? now + expiresIn : null,
            Scopes = string.IsNullOrWhiteSpace(result.Scope) ? requestedScopes : result.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
            Issuer = authorization.Issuer,
            ClientId = authorization.ClientId,
            Resource = authorization.Resource,
            ObtainedAt = now,
            TokenType = result.TokenType == TokenClient.DpopTokenType ? TokenClient.DpopTokenType : null,
        };
    }

    /// <summary>Null when the token is acceptable; an error when the server must bind tokens (<c>Dpop required</c>) and did not.</summary>
    public SessionError? CheckDpopBinding(TokenResult result) =>
        context.Server.OAuth.Dpop == DpopModes.Required && result.TokenType != TokenClient.DpopTokenType
            ? new SessionError(SessionErrorCodes.TokenExchangeFailed, "The authorization server issued a Bearer token, but this server requires DPoP-bound tokens (OAuth:Dpop required).")
            : null;

    /// <summary>The stored access token.</summary>
    public AccessTokenResult CurrentToken()
    {
        var tokens = record.State.Tokens!;
        return new AccessTokenResult(
            AccessTokenOutcome.Token,
            vault.Reveal(tokens.ProtectedAccessToken, SecretContexts.AccessToken(_key)),
            tokens.ExpiresAt,
            ConnectionStatus.Connected,
            null);
    }

    public AccessTokenResult AuthorizationRequired() =>
        new(AccessTokenOutcome.AuthorizationRequired, null, null, record.Machine.Status == ConnectionStatus.Connected ? ConnectionStatus.NotConnected : record.Machine.Status, record.State.LastError);

    /// <summary>
    /// Revokes the stored tokens where the server offers revocation. Tokens that cannot be decrypted any more cannot be
    /// revoked: the disconnect forgets them all the same, so that the user can start over.
    /// </summary>
    public async Task RevokeStoredAsync(CancellationToken cancellationToken)
    {
        await RevokeAsync(record.State.Tokens, cancellationToken);
        await RevokeAsync(record.State.Unconfirmed?.Tokens, cancellationToken);
    }

    /// <summary>Revokes one set of the session's tokens (refresh token first) where the server offers revocation.</summary>
    public async Task RevokeAsync(TokenSet? tokens, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return;
        }

        var answer = await server.GetAsync(cancellationToken);
        if (answer.Authorization is not { RevocationEndpoint: not null } authorization || authorization.Issuer != tokens.Issuer)
        {
            return;
        }

        try
        {
            var endpoint = CreateContext(authorization);
            if (tokens.ProtectedRefreshToken is not null)
            {
                await client.RevokeAsync(endpoint, authorization.RevocationEndpoint, vault.Reveal(tokens.ProtectedRefreshToken, SecretContexts.RefreshToken(_key)), "refresh_token", cancellationToken);
            }

            await client.RevokeAsync(endpoint, authorization.RevocationEndpoint, vault.Reveal(tokens.ProtectedAccessToken, SecretContexts.AccessToken(_key)), "access_token", cancellationToken);
        }
        catch (SecretUnreadableException)
        {
            SessionLog.RevocationSkipped(context.Logger, _key);
        }
    }
}
