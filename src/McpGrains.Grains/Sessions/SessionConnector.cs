using McpGrains.Configuration;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Whether the user is connected to the server, and what it takes otherwise: nothing (no authorization, McpGrains' own
/// token), the host app's identity assertion, or a browser sign-in. And the disconnect, which forgets it all.
/// </summary>
internal sealed class SessionConnector(
    SessionContext context,
    SessionRecord record,
    SessionVault vault,
    ServerAuthorizationSource server,
    SessionTokens tokens,
    IdentityAssertionGrant assertions,
    AuthorizationFlow flow,
    SessionTokenEndpoint endpoint,
    UpstreamSession upstream,
    ProactiveRefreshSchedule schedule,
    HostVerification verification)
{
    public async Task<ConnectionInfo> GetConnectionAsync(CancellationToken cancellationToken)
    {
        vault.ThrowIfUnreadable();
        var serverId = context.Key.ServerId;
        if (record.Machine.Status == ConnectionStatus.NotConnected && record.State.Pending is null)
        {
            // A server that needs no authorization is connected without the user doing anything.
            var answer = await server.GetAsync(cancellationToken);
            if (answer.Outcome == ServerAuthorizationOutcome.NotRequired)
            {
                return new ConnectionInfo(serverId, ConnectionStatus.Connected, [], null, null, null);
            }

            if (answer.Outcome == ServerAuthorizationOutcome.Ready && context.UsesSharedToken)
            {
                // Connected through McpGrains' own token, which the server grain obtains on first use.
                return new ConnectionInfo(serverId, ConnectionStatus.Connected, [.. answer.Authorization!.Scopes], null, null, null);
            }
        }

        var state = record.State;
        return new ConnectionInfo(serverId, state.Status, state.Tokens?.Scopes.ToArray() ?? [], state.Tokens?.ExpiresAt, state.LastError, state.UpdatedAt);
    }

    public async Task<AuthorizeResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var machine = record.Machine;
        var answer = await server.GetAsync(cancellationToken);
        var now = context.Time.GetUtcNow();
        switch (answer.Outcome)
        {
            case ServerAuthorizationOutcome.NotRequired:
                if (machine.Status != ConnectionStatus.Connected || machine.HasTokens)
                {
                    machine.ApplyAuthorizationNotRequired(now);
                    await record.WriteAsync(cancellationToken);
                }

                return AuthorizeResult.Connected;
            case ServerAuthorizationOutcome.Failed:
                machine.ApplySetupFailure(answer.Error!, now);
                await record.WriteAsync(cancellationToken);
                SessionLog.SetupFailed(context.Logger, context.Key, answer.Error!.Code);
                return AuthorizeResult.Failed(answer.Error);
        }

        var authorization = answer.Authorization!;
        assertions.Remember(request.IdentityAssertion);
        if (context.UsesSharedToken)
        {
            // McpGrains' own token serves every user of this server: nothing for the user to do.
            var shared = await tokens.GetSharedAsync(cancellationToken);
            return shared.Outcome is AccessTokenOutcome.Token or AccessTokenOutcome.NotRequired ? AuthorizeResult.Connected : AuthorizeResult.Failed(shared.Error!);
        }

        if (machine.HasTokens && machine.Status == ConnectionStatus.Connected && record.State.Tokens!.Issuer == authorization.Issuer)
        {
            var token = await tokens.GetCurrentAsync(authorization, cancellationToken);
            if (token.Outcome == AccessTokenOutcome.Token)
            {
                return AuthorizeResult.Connected;
            }
        }

        if (context.GrantType == UpstreamGrantTypes.IdentityAssertion)
        {
            // Enterprise-managed: no browser, unless the operator allowed it as the fallback.
            var redeemed = await assertions.RedeemAsync(authorization, cancellationToken);
            if (redeemed.Outcome == AccessTokenOutcome.Token)
            {
                return AuthorizeResult.Connected;
            }

            if (!context.Server.OAuth.BrowserFallback)
            {
                return AuthorizeResult.Failed(redeemed.Error ?? IdentityAssertionGrant.Missing(context.Key.ServerId));
            }
        }

        flow.RememberSubject(request.UserLabel, request.Identity);
        return await flow.BeginAsync(authorization, request.ReturnUrl, cancellationToken);
    }

    /// <summary>The sign-in link to show the user (a pending one again, or a new one), or null when none is needed or possible.</summary>
    public async Task<PendingAuthorizationInfo?> GetPendingAuthorizationAsync(CancellationToken cancellationToken)
    {
        var answer = await server.GetAsync(cancellationToken);
        if (answer.Outcome != ServerAuthorizationOutcome.Ready || context.UsesSharedToken || context.IdentityAssertionOnly)
        {
            // No sign-in link for servers without a browser sign-in.
            return null;
        }

        if (record.Machine.HasTokens && record.Machine.Status == ConnectionStatus.Connected)
        {
            var token = await tokens.GetCurrentAsync(answer.Authorization!, cancellationToken);
            if (token.Outcome == AccessTokenOutcome.Token)
            {
                return null;
            }
        }

        var pending = flow.ReusablePending()
            ?? await flow.BeginPendingAsync(answer.Authorization!, returnUrl: null, cancellationToken);
        return pending is null ? null : flow.DescribePending(pending);
    }

    /// <summary>Revokes and forgets the tokens, closes the connection and destroys the data key.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        await endpoint.RevokeStoredAsync(cancellationToken);
        await upstream.DisconnectAsync();
        record.Machine.Disconnect(context.Time.GetUtcNow());
        await record.ClearAsync(cancellationToken);
        await vault.DestroyAsync(cancellationToken);
        vault.ForgetDpopKey();
        upstream.ForgetDpopKey();
        if (context.Options.Authorization.ProactiveRefresh)
        {
            // An explicit disconnect removes the reminder whichever activation registered it.
            await schedule.RemoveAsync();
        }

        if (context.HostApp.Binding == SignInBindingModes.HostVerification)
        {
            await verification.RemoveTimeoutAsync();
        }

        SessionLog.Disconnected(context.Logger, context.Key);
    }
}
