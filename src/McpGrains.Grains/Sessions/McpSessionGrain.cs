using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using McpGrains.Grains.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One per (tenant, user, server). Runs the OAuth client flow around <see cref="OAuthSessionStateMachine"/> and writes
/// its state after every transition. Every call that reads or changes the OAuth state or the connection runs under
/// one exclusive section (<see cref="ExclusiveAsync{T}"/>): concurrent token requests queue behind a refresh, so a
/// refresh is single-flight across the cluster. <see cref="SendAsync"/> alone interleaves (Orleans
/// <c>[AlwaysInterleave]</c>): it enters the section only to obtain a token and a connection or to handle a failure,
/// and overlaps the requests in flight upstream, so one user's concurrent calls do not queue behind each other.
/// </summary>
public sealed partial class McpSessionGrain : Grain, IMcpSessionGrain
{
    private readonly IPersistentState<McpSessionState> _state;
    private readonly IPersistentState<SessionDataKeyState> _dataKeyState;
    private readonly KeyRing _keyRing;
    private readonly IOptions<McpGrainsOptions> _options;
    private readonly ISecretProtector _protector;
    private readonly AuthorizationStateCodec _stateCodec;
    private readonly SignInTicketCodec _ticketCodec;
    private readonly TokenClient _tokenClient;
    private readonly TimeProvider _time;
    private readonly ILogger<McpSessionGrain> _logger;
    private readonly IHttpMessageHandlerFactory _handlerFactory;
    private readonly ILoggerFactory _loggerFactory;
    private McpSessionKey _key;
    private OAuthSessionStateMachine _machine = null!;
    private ServerAuthorizationResult? _server;
    private bool _proactiveRefreshRegistered;

    /// <summary>
    /// The exclusive section. Orleans no longer serializes this grain's calls on its own once an interleaving
    /// <see cref="SendAsync"/> is running, so every other entry point (calls, the reminder, the idle timer) holds it for
    /// its whole run. Not reentrant: code inside calls the <c>Locked</c> variants, never the public methods.
    /// </summary>
    private readonly SemaphoreSlim _exclusive = new(1, 1);

    public McpSessionGrain(
        [PersistentState("session", McpGrainsStorage.Name)] IPersistentState<McpSessionState> state,
        [PersistentState("data-key", McpGrainsStorage.KeysName)] IPersistentState<SessionDataKeyState> dataKeyState,
        KeyRing keyRing,
        IOptions<McpGrainsOptions> options,
        ISecretProtector protector,
        AuthorizationStateCodec stateCodec,
        SignInTicketCodec ticketCodec,
        TokenClient tokenClient,
        IHttpMessageHandlerFactory handlerFactory,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        ILogger<McpSessionGrain> logger)
    {
        _handlerFactory = handlerFactory;
        _loggerFactory = loggerFactory;
        _state = state;
        _dataKeyState = dataKeyState;
        _keyRing = keyRing;
        _options = options;
        _protector = protector;
        _stateCodec = stateCodec;
        _ticketCodec = ticketCodec;
        _tokenClient = tokenClient;
        _time = time;
        _logger = logger;
    }

    private McpGrainsOptions Options => _options.Value;

    /// <summary>This session's server as configured (empty settings when it was removed from the configuration).</summary>
    private UpstreamServerOptions ServerOptions => Options.Servers.GetValueOrDefault(_key.ServerId) ?? new UpstreamServerOptions();

    private async Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        await _exclusive.WaitAsync(cancellationToken);

        // Every OAuth request of this session (code exchange, refresh, revocation) is made in here.
        using var network = PrivateNetworkAccess.Allow(ServerOptions.AllowPrivateNetwork);
        try
        {
            return await action(cancellationToken);
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private Task ExclusiveAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        ExclusiveAsync(async ct =>
        {
            await action(ct);
            return true;
        }, cancellationToken);

    private IMcpServerGrain ServerGrain => GrainFactory.GetGrain<IMcpServerGrain>(_key.ServerId);

    /// <summary>The server grain's answer, kept for this activation once it is a success, so that token use costs no extra hop.</summary>
    private async Task<ServerAuthorizationResult> GetServerAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            return _server;
        }

        var result = await ServerGrain.GetAuthorizationAsync(cancellationToken);
        if (result.Outcome != ServerAuthorizationOutcome.Failed)
        {
            _server = result;
        }

        return result;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = McpSessionKey.Parse(this.GetPrimaryKeyString());
        _machine = new OAuthSessionStateMachine(_key, _state.State);
        var upstream = Options.Upstream;
        _reconnect = new ReconnectPolicy(upstream.ReconnectBaseDelay, upstream.ReconnectMaxDelay, upstream.CircuitBreakerThreshold, upstream.CircuitBreakerDuration);
        _registrations = new DownstreamRegistrations(_time);
        _relay = new SessionEventRelay(_key, _registrations, _calls, GrainFactory, _time, _logger);
        await LoadDataKeyAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await CloseConnectionAsync("deactivated");
    }

    public Task<ConnectionInfo> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(GetConnectionLockedAsync, cancellationToken);

    private async Task<ConnectionInfo> GetConnectionLockedAsync(CancellationToken cancellationToken)
    {
        ThrowIfSecretsUnreadable();
        if (_machine.Status == ConnectionStatus.NotConnected && _state.State.Pending is null)
        {
            // A server that needs no authorization is connected without the user doing anything.
            var server = await GetServerAsync(cancellationToken);
            if (server.Outcome == ServerAuthorizationOutcome.NotRequired)
            {
                return new ConnectionInfo(_key.ServerId, ConnectionStatus.Connected, [], null, null, null);
            }

            if (server.Outcome == ServerAuthorizationOutcome.Ready && UsesSharedToken)
            {
                // Connected through McpGrains' own token, which the server grain obtains on first use.
                return new ConnectionInfo(_key.ServerId, ConnectionStatus.Connected, [.. server.Authorization!.Scopes], null, null, null);
            }
        }

        return Describe();
    }

    public Task<AuthorizeResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(ct => AuthorizeLockedAsync(request, ct), cancellationToken);
    }

    private async Task<AuthorizeResult> AuthorizeLockedAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var server = await GetServerAsync(cancellationToken);
        var now = _time.GetUtcNow();
        switch (server.Outcome)
        {
            case ServerAuthorizationOutcome.NotRequired:
                if (_machine.Status != ConnectionStatus.Connected || _machine.HasTokens)
                {
                    _machine.ApplyAuthorizationNotRequired(now);
                    await _state.WriteStateAsync(cancellationToken);
                }

                return AuthorizeResult.Connected;
            case ServerAuthorizationOutcome.Failed:
                _machine.ApplySetupFailure(server.Error!, now);
                await _state.WriteStateAsync(cancellationToken);
                LogSetupFailed(_logger, _key, server.Error!.Code);
                return AuthorizeResult.Failed(server.Error);
        }

        var authorization = server.Authorization!;
        RememberIdentityAssertion(request.IdentityAssertion);
        if (UsesSharedToken)
        {
            // McpGrains' own token serves every user of this server: nothing for the user to do.
            var shared = await GetSharedTokenAsync(cancellationToken);
            return shared.Outcome is AccessTokenOutcome.Token or AccessTokenOutcome.NotRequired ? AuthorizeResult.Connected : AuthorizeResult.Failed(shared.Error!);
        }

        if (_machine.HasTokens && _machine.Status == ConnectionStatus.Connected && _state.State.Tokens!.Issuer == authorization.Issuer)
        {
            var token = await GetAccessTokenCoreAsync(authorization, cancellationToken);
            if (token.Outcome == AccessTokenOutcome.Token)
            {
                return AuthorizeResult.Connected;
            }
        }

        if (GrantType == UpstreamGrantTypes.IdentityAssertion)
        {
            // Enterprise-managed: no browser, unless the operator allowed it as the fallback.
            var redeemed = await RedeemIdentityAssertionAsync(authorization, cancellationToken);
            if (redeemed.Outcome == AccessTokenOutcome.Token)
            {
                return AuthorizeResult.Connected;
            }

            if (!ServerOptions.OAuth.BrowserFallback)
            {
                return AuthorizeResult.Failed(redeemed.Error ?? IdentityAssertionMissing(_key.ServerId));
            }
        }

        RememberSubject(request.UserLabel, request.Identity);
        return await BeginAuthorizationAsync(authorization, request.ReturnUrl, cancellationToken);
    }

    public Task<CallbackResult> CompleteAuthorizationAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ExclusiveAsync(ct => CompleteAuthorizationLockedAsync(callback, ct), cancellationToken);
    }

    private async Task<CallbackResult> CompleteAuthorizationLockedAsync(AuthorizationCallback callback, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var returnUrl = _state.State.Pending?.ReturnUrl;
        var decision = _machine.ValidateCallback(callback, now);
        if (decision.StateChanged)
        {
            // Consumed before the exchange: a replayed callback finds nothing to complete.
            await _state.WriteStateAsync(cancellationToken);
        }

        if (!decision.ShouldExchange)
        {
            LogCallbackRejected(_logger, _key, decision.Error!.Code);
            RecordAuthorizationFailed(decision.Error.Code);
            return new CallbackResult(false, _key.ServerId, decision.Pending?.ReturnUrl ?? (decision.StateChanged ? returnUrl : null), decision.Error);
        }

        var pending = decision.Pending!;
        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready || server.Authorization!.Issuer != pending.ExpectedIssuer || server.Authorization.ClientId != pending.ClientId)
        {
            var error = server.Error ?? new SessionError(SessionErrorCodes.TokenExchangeFailed, "The server's authorization settings changed during sign-in. Start again.");
            _machine.ApplyExchangeFailure(pending, error, now);
            await _state.WriteStateAsync(cancellationToken);
            RecordAuthorizationFailed(error.Code);
            return new CallbackResult(false, _key.ServerId, pending.ReturnUrl, error);
        }

        var authorization = server.Authorization;
        var verifier = Reveal(pending.ProtectedCodeVerifier, SecretContexts.CodeVerifier(_key));
        var started = _time.GetTimestamp();
        var result = await _tokenClient.ExchangeCodeAsync(CreateTokenContext(authorization), callback.Code!, verifier, pending.RedirectUri, cancellationToken);
        now = _time.GetUtcNow();
        if (!result.IsSuccess || CheckDpopBinding(result) is not null)
        {
            var error = CheckDpopBinding(result) ?? new SessionError(SessionErrorCodes.TokenExchangeFailed, $"The authorization server refused the code exchange ({result.Error}).");
            _machine.ApplyExchangeFailure(pending, error, now);
            await _state.WriteStateAsync(cancellationToken);
            LogExchangeFailed(_logger, _key, result.Error ?? "unknown", result.HttpStatusCode is { } s ? (int)s : 0);
            RecordAuthorizationFailed(error.Code);
            return new CallbackResult(false, _key.ServerId, pending.ReturnUrl, error);
        }

        var tokens = CreateTokenSet(result, authorization, pending.Scopes, previousRefreshToken: null, now);
        if (pending.Binding == SignInBindingModes.HostVerification)
        {
            return await AwaitConfirmationAsync(tokens, pending, cancellationToken);
        }

        _machine.ApplyTokens(tokens, now);
        await _state.WriteStateAsync(cancellationToken);
        LogConnected(_logger, _key, authorization.Issuer, _time.GetElapsedTime(started).TotalMilliseconds);
        RecordAuthorizationCompleted();
        await SyncProactiveRefreshAsync();
        await NotifyAuthorizationCompletedAsync(pending.ElicitationId);
        return new CallbackResult(true, _key.ServerId, pending.ReturnUrl, null);
    }

    public Task DisconnectAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(DisconnectLockedAsync, cancellationToken);

    private async Task DisconnectLockedAsync(CancellationToken cancellationToken)
    {
        await RevokeStoredTokensAsync(cancellationToken);
        _disconnects++;
        await CloseConnectionAsync("disconnected");
        _machine.Disconnect(_time.GetUtcNow());
        await _state.ClearStateAsync(cancellationToken);
        await DestroyDataKeyAsync(cancellationToken);
        _machine = new OAuthSessionStateMachine(_key, _state.State);
        ForgetDpopKey();
        if (Options.Authorization.ProactiveRefresh)
        {
            // An explicit disconnect removes the reminder whichever activation registered it.
            await RemoveProactiveRefreshAsync();
        }

        if (HostAppOptions.Binding == SignInBindingModes.HostVerification)
        {
            await RemoveVerificationTimeoutAsync();
        }

        LogDisconnected(_logger, _key);
    }

    private ConnectionInfo Describe()
    {
        var state = _state.State;
        return new ConnectionInfo(_key.ServerId, state.Status, state.Tokens?.Scopes.ToArray() ?? [], state.Tokens?.ExpiresAt, state.LastError, state.UpdatedAt);
    }
}
