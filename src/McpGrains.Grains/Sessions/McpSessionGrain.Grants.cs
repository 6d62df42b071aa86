using McpGrains.Configuration;
using McpGrains.Grains.Grants;
using McpGrains.OAuth;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

// The grants without a browser. Shared tokens (client credentials, workload identity) belong to the server grain; this
// session only borrows them. Enterprise-managed authorization (SEP-990) redeems the user's identity assertion, which the
// host app sends with each request and which is kept in memory only, never stored.
public sealed partial class McpSessionGrain
{
    private string? _identityAssertion;

    /// <summary>A shared token the upstream refused: the server grain is asked for another one next time.</summary>
    private string? _rejectedSharedToken;

    private string GrantType => ServerOptions.OAuth.GrantType;

    private bool UsesSharedToken => UpstreamGrantTypes.IsShared(GrantType);

    /// <summary>Enterprise-managed authorization without the browser sign-in to fall back on.</summary>
    private bool IdentityAssertionOnly => GrantType == UpstreamGrantTypes.IdentityAssertion && !ServerOptions.OAuth.BrowserFallback;

    private void RememberIdentityAssertion(string? assertion)
    {
        if (!string.IsNullOrEmpty(assertion))
        {
            _identityAssertion = assertion;
        }
    }

    private async Task<AccessTokenResult> GetSharedTokenAsync(CancellationToken cancellationToken)
    {
        var rejected = _rejectedSharedToken;
        _rejectedSharedToken = null;
        return await ServerGrain.GetSharedTokenAsync(rejected, cancellationToken);
    }

    private static SessionError IdentityAssertionMissing(string serverId) => new(
        SessionErrorCodes.IdentityAssertionRequired,
        $"Server '{serverId}' is authorized through the organization's identity provider, and the host app sent no identity assertion (ID token) for this user.");

    /// <summary>
    /// SEP-990: the user's ID token for an identity assertion grant at the host app's identity provider (RFC 8693), then
    /// that grant for tokens at the server's authorization server (RFC 7523). Tokens are stored as a code exchange's are.
    /// </summary>
    private async Task<AccessTokenResult> RedeemIdentityAssertionAsync(ServerAuthorization authorization, CancellationToken cancellationToken)
    {
        var assertion = _identityAssertion;
        if (assertion is null)
        {
            return new AccessTokenResult(AccessTokenOutcome.AuthorizationRequired, null, null, _machine.Status, IdentityAssertionMissing(_key.ServerId));
        }

        var idp = Options.HostApps.GetValueOrDefault(_key.TenantId)?.IdentityProvider;
        if (idp is null)
        {
            return new AccessTokenResult(AccessTokenOutcome.Failed, null, null, _machine.Status, new SessionError(
                SessionErrorCodes.TokenExchangeFailed, $"Host app '{_key.TenantId}' has no identity provider configured (McpGrains:HostApps:{_key.TenantId}:IdentityProvider)."));
        }

        var idpContext = new TokenEndpointContext(
            idp.TokenEndpoint!,
            idp.ClientId!,
            idp.ClientSecret,
            idp.ClientSecret is null ? TokenEndpointAuthMethods.None : TokenEndpointAuthMethods.ClientSecretBasic,
            Resource: null);
        var scopes = authorization.Scopes.Count == 0 ? null : authorization.Scopes;
        var grant = await _tokenClient.ExchangeIdentityAssertionAsync(idpContext, assertion, authorization.Issuer, authorization.Resource, scopes, cancellationToken);
        TokenResult result = grant;
        if (grant.IsSuccess)
        {
            await EnsureDataKeyAsync(cancellationToken);
            result = await _tokenClient.JwtBearerAsync(CreateTokenContext(authorization), grant.AccessToken!, scopes, cancellationToken);
        }

        var now = _time.GetUtcNow();
        var error = result.IsSuccess ? CheckDpopBinding(result) : new SessionError(
            SessionErrorCodes.TokenExchangeFailed,
            $"{(grant.IsSuccess ? "The server's authorization server refused the identity assertion grant" : "The identity provider refused the user's identity assertion")} ({result.Error}).");
        if (error is not null)
        {
            // An assertion that was refused is not presented again; the host app's next request brings a fresh one.
            _identityAssertion = null;
            LogIdentityAssertionFailed(_logger, _key, grant.IsSuccess ? "authorization server" : "identity provider", result.Error ?? "unbound token");
            return new AccessTokenResult(AccessTokenOutcome.AuthorizationRequired, null, null, _machine.Status, error);
        }

        _machine.ApplyTokens(CreateTokenSet(result, authorization, [.. authorization.Scopes], previousRefreshToken: null, now), now);
        await _state.WriteStateAsync(cancellationToken);
        LogIdentityAssertionRedeemed(_logger, _key, authorization.Issuer);
        await SyncProactiveRefreshAsync();
        return CurrentToken();
    }

    /// <summary>Adds what the configuration holds (a private key) and the connection's DPoP key to a token request.</summary>
    private TokenEndpointContext CompleteTokenContext(TokenEndpointContext context, ServerAuthorization authorization) =>
        GrantCredentials.WithConfiguredKey(context, authorization, ServerOptions.OAuth) with
        {
            Dpop = authorization.Dpop ? GetOrCreateDpopKey() : null,
        };

    [LoggerMessage(LogEvents.SessionIdentityAssertionRedeemed, LogLevel.Information, "Session {SessionKey}: identity assertion redeemed at {Issuer}; connected without a browser")]
    private static partial void LogIdentityAssertionRedeemed(ILogger logger, McpSessionKey sessionKey, string issuer);

    [LoggerMessage(LogEvents.SessionIdentityAssertionFailed, LogLevel.Warning, "Session {SessionKey}: enterprise-managed authorization failed at the {Where}: {Error}")]
    private static partial void LogIdentityAssertionFailed(ILogger logger, McpSessionKey sessionKey, string where, string error);
}
