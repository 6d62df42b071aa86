using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Enterprise-managed authorization (SEP-990): the user's ID token, which the host app sends with each request and
/// which is kept in memory only, never stored, is exchanged for an identity assertion grant at the host app's identity
/// provider (RFC 8693), then that grant for tokens at the server's authorization server (RFC 7523). Tokens are stored as
/// a code exchange's are.
/// </summary>
internal sealed class IdentityAssertionGrant(SessionContext context, SessionRecord record, SessionVault vault, SessionTokenEndpoint endpoint, ProactiveRefreshSchedule schedule)
{
    private string? _assertion;

    /// <summary>The host app sent an assertion that has not been refused.</summary>
    public bool HasAssertion => _assertion is not null;

    public void Remember(string? assertion)
    {
        if (!string.IsNullOrEmpty(assertion))
        {
            _assertion = assertion;
        }
    }

    public static SessionError Missing(string serverId) => new(
        SessionErrorCodes.IdentityAssertionRequired,
        $"Server '{serverId}' is authorized through the organization's identity provider, and the host app sent no identity assertion (ID token) for this user.");

    public async Task<AccessTokenResult> RedeemAsync(ServerAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var key = context.Key;
        var machine = record.Machine;
        var assertion = _assertion;
        if (assertion is null)
        {
            return new AccessTokenResult(AccessTokenOutcome.AuthorizationRequired, null, null, machine.Status, Missing(key.ServerId));
        }

        var idp = context.Options.HostApps.GetValueOrDefault(key.TenantId)?.IdentityProvider;
        if (idp is null)
        {
            return new AccessTokenResult(AccessTokenOutcome.Failed, null, null, machine.Status, new SessionError(
                SessionErrorCodes.TokenExchangeFailed, $"Host app '{key.TenantId}' has no identity provider configured (McpGrains:HostApps:{key.TenantId}:IdentityProvider)."));
        }

        var idpContext = new TokenEndpointContext(
            idp.TokenEndpoint!,
            idp.ClientId!,
            idp.ClientSecret,
            idp.ClientSecret is null ? TokenEndpointAuthMethods.None : TokenEndpointAuthMethods.ClientSecretBasic,
            Resource: null);
        var scopes = authorization.Scopes.Count == 0 ? null : authorization.Scopes;
        var grant = await endpoint.Client.ExchangeIdentityAssertionAsync(idpContext, assertion, authorization.Issuer, authorization.Resource, scopes, cancellationToken);
        TokenResult result = grant;
        if (grant.IsSuccess)
        {
            await vault.EnsureKeyAsync(cancellationToken);
            result = await endpoint.Client.JwtBearerAsync(endpoint.CreateContext(authorization), grant.AccessToken!, scopes, cancellationToken);
        }

        var now = context.Time.GetUtcNow();
        var error = result.IsSuccess ? endpoint.CheckDpopBinding(result) : new SessionError(
            SessionErrorCodes.TokenExchangeFailed,
            $"{(grant.IsSuccess ? "The server's authorization server refused the identity assertion grant" : "The identity provider refused the user's identity assertion")} ({result.Error}).");
        if (error is not null)
        {
            // An assertion that was refused is not presented again; the host app's next request brings a fresh one.
            _assertion = null;
            SessionLog.IdentityAssertionFailed(context.Logger, key, grant.IsSuccess ? "authorization server" : "identity provider", result.Error ?? "unbound token");
            return new AccessTokenResult(AccessTokenOutcome.AuthorizationRequired, null, null, machine.Status, error);
        }

        machine.ApplyTokens(endpoint.CreateTokenSet(result, authorization, [.. authorization.Scopes], previousRefreshToken: null, now), now);
        await record.WriteAsync(cancellationToken);
        SessionLog.IdentityAssertionRedeemed(context.Logger, key, authorization.Issuer);
        await schedule.SyncAsync();
        return endpoint.CurrentToken();
    }
}
