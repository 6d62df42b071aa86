using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Downstream;
using McpGrains.Grains.Upstream;
using McpGrains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One per (tenant, user, server): the coordinator of that pair's OAuth client and live upstream connection. It loads
/// the state, runs every call that reads or changes it one at a time in the <see cref="ExclusiveSection"/>, and leaves
/// the work to its <see cref="SessionParts"/>, which write the state after every transition. <see cref="SendAsync"/>
/// interleaves (Orleans <c>[AlwaysInterleave]</c>): it enters the section only to obtain a token and a connection or to
/// handle a failure, so one user's concurrent calls overlap upstream. What the grain keeps for downstream clients (who
/// listens, which requests are in flight for whom) lives in this activation only.
/// </summary>
public sealed class McpSessionGrain : Grain, IMcpSessionGrain, IRemindable
{
    private readonly IPersistentState<McpSessionState> _state;
    private readonly IPersistentState<SessionDataKeyState> _dataKeyState;
    private readonly SessionServices _services;
    private readonly ILogger<McpSessionGrain> _logger;
    private readonly DownstreamCalls _calls = new();
    private DownstreamRegistrations _registrations = null!;
    private SessionParts _parts = null!;

    private ToolCatalogReport _toolCatalog = null!;

    public McpSessionGrain(
        [PersistentState("session", McpGrainsStorage.Name)] IPersistentState<McpSessionState> state,
        [PersistentState("data-key", McpGrainsStorage.KeysName)] IPersistentState<SessionDataKeyState> dataKeyState,
        SessionServices services,
        ILogger<McpSessionGrain> logger)
    {
        _state = state;
        _dataKeyState = dataKeyState;
        _services = services;
        _logger = logger;
    }

    /// <summary>Connection attempts made by this activation (for diagnostics and tests).</summary>
    internal long ConnectionAttempts => _parts.Upstream.ConnectionAttempts;

    private ExclusiveSection Exclusive => _parts.Exclusive;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = McpSessionKey.Parse(this.GetPrimaryKeyString());
        _registrations = new DownstreamRegistrations(_services.Time);
        var relay = new SessionEventRelay(key, _registrations, _calls, GrainFactory, _services.Time, _logger);
        _parts = new SessionParts(
            key,
            _services,
            _logger,
            new StoredGrainState<McpSessionState>(_state),
            new StoredGrainState<SessionDataKeyState>(_dataKeyState),
            GrainFactory.GetGrain<IMcpServerGrain>(key.ServerId),
            new GrainReminders(this),
            relay,
            relay.NotifyAuthorizationCompletedAsync,
            period => this.RegisterGrainTimer(ct => Exclusive.RunAsync(_ => _parts.Upstream.CloseIfIdleAsync(), ct), new GrainTimerCreationOptions(period, period) { KeepAlive = false, Interleave = false }),
            () => ServiceProvider.GetRequiredService<McpGrainsMetrics>());
        _toolCatalog = new ToolCatalogReport(GrainFactory.GetGrain<IToolCatalogGrain>(IToolCatalogGrain.Key(key.TenantId, key.ServerId)));
        await _parts.Vault.LoadAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _parts.Upstream.CloseAsync("deactivated");

    public Task<ConnectionInfo> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        Exclusive.RunAsync(_parts.Connector.GetConnectionAsync, cancellationToken);

    public Task<AuthorizeResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Exclusive.RunAsync(ct => _parts.Connector.AuthorizeAsync(request, ct), cancellationToken);
    }

    public Task<CallbackResult> CompleteAuthorizationAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Exclusive.RunAsync(ct => _parts.Flow.CompleteAsync(callback, ct), cancellationToken);
    }

    public Task<SignInDescription> DescribeSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Exclusive.RunAsync(_ => Task.FromResult(_parts.SignIn.Describe(request)), cancellationToken);
    }

    public Task<SignInContinuation> ContinueSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Exclusive.RunAsync(ct => _parts.SignIn.ContinueAsync(request, ct), cancellationToken);
    }

    public Task<SignInOutcome> CancelSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Exclusive.RunAsync(ct => _parts.SignIn.CancelAsync(request, ct), cancellationToken);
    }

    public Task<ConfirmationResult> ConfirmAuthorizationAsync(AuthorizationConfirmation confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return Exclusive.RunAsync(ct => _parts.Verification.ConfirmAsync(confirmation, ct), cancellationToken);
    }

    public Task<AccessTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        Exclusive.RunAsync(_parts.Tokens.GetAsync, cancellationToken);

    public Task<PendingAuthorizationInfo?> GetPendingAuthorizationAsync(string? userLabel, string? identity = null, CancellationToken cancellationToken = default)
    {
        _parts.Flow.RememberSubject(userLabel, identity);
        return Exclusive.RunAsync(_parts.Connector.GetPendingAuthorizationAsync, cancellationToken);
    }

    public Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default) =>
        Exclusive.RunAsync(_parts.Vault.RewrapIfStaleAsync, cancellationToken);

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        ProactiveRefreshSchedule.ReminderName => Exclusive.RunAsync(_parts.Tokens.RefreshProactivelyAsync, CancellationToken.None),
        HostVerification.ReminderName => Exclusive.RunAsync(_parts.Verification.ExpireAsync, CancellationToken.None),
        _ => Task.CompletedTask,
    };

    public async Task<UpstreamResult> SendAsync(UpstreamRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ParamsJson is not null && !RawJson.IsValid(request.ParamsJson))
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32602, "The request params are not valid JSON.", null));
        }

        var (upstream, metrics) = (_parts.Upstream, _parts.Context.Metrics);
        _parts.Flow.RememberSubject(request.UserLabel, request.Identity);
        _parts.Assertions.Remember(request.IdentityAssertion);
        upstream.BeginRequest();
        var call = request.Caller is { } caller ? BeginCall(caller) : null;
        using var activity = metrics.StartUpstreamActivity(request.Method);
        var started = _services.Time.GetTimestamp();
        try
        {
            var result = await _parts.Calls.SendAsync(request, call, cancellationToken);
            metrics.UpstreamCall(activity, result, started);
            await _toolCatalog.OnAnsweredAsync(request, result);
            if (call is null)
            {
                return result;
            }

            // Progress the upstream sent before its answer reaches the client before the answer.
            await call.DeliveredAsync(DownstreamCalls.DeliveryWait, _services.Time);
            return result.WithRelayedMessages(call.Relayed);
        }
        finally
        {
            upstream.EndRequest();
            if (call is not null)
            {
                _calls.End(call);
            }
        }
    }

    public Task DisconnectAsync(CancellationToken cancellationToken = default) =>
        Exclusive.RunAsync(_parts.Connector.DisconnectAsync, cancellationToken);

    /// <summary>Account deletion (DELETE /api/v1/users/{userId}): everything a disconnect forgets, and the activation itself.</summary>
    public Task ForgetAsync(CancellationToken cancellationToken = default) =>
        Exclusive.RunAsync(async ct =>
        {
            await _parts.Connector.DisconnectAsync(ct);
            _parts.Flow.ForgetUserLabel();
            _parts.StepUps.Clear();

            // The label, observers and counters live only in this activation: ending it leaves no trace of the user.
            DeactivateOnIdle();
        }, cancellationToken);

    public Task SubscribeAsync(IMcpSessionObserver observer, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _registrations.Register(observer, capabilities ?? DownstreamCapabilities.None);
        StayActiveWhileListened();
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IMcpSessionObserver observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _registrations.Unregister(observer);
        return Task.CompletedTask;
    }

    public Task<bool> DeliverClientResponseAsync(string? sessionHash, string requestId, string responseJson, CancellationToken cancellationToken = default) =>
        Task.FromResult(_calls.Deliver(sessionHash, requestId, responseJson));

    public Task<bool> AttachDownstreamAsync(string sessionHash, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionHash);
        _registrations.RegisterSession(sessionHash, capabilities ?? DownstreamCapabilities.None, hasStream: true);
        StayActiveWhileListened();
        return Task.FromResult(_parts.Record.Machine.Status == ConnectionStatus.Connected || _parts.Server.Current?.Outcome == ServerAuthorizationOutcome.NotRequired);
    }

    public Task DetachDownstreamAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        _registrations.UnregisterSession(sessionHash);
        return Task.CompletedTask;
    }

    public Task ListenAsync(DownstreamListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _registrations.RegisterListener(listener);
        StayActiveWhileListened();
        return Task.CompletedTask;
    }

    public Task StopListeningAsync(IDownstreamEndpoint endpoint, long callId, CancellationToken cancellationToken = default)
    {
        _registrations.UnregisterListener(endpoint, callId);
        return Task.CompletedTask;
    }

    /// <summary>Registrations live in this activation only: stay active while someone listens.</summary>
    private void StayActiveWhileListened() => this.DelayDeactivation(DownstreamRegistrations.Lifetime);

    private InFlightCall BeginCall(DownstreamCaller caller)
    {
        if (caller.SessionHash is { } session && !_registrations.IsFresh(session))
        {
            // A session that calls hears the key's notifications, even before (or without) a GET stream.
            _registrations.RegisterSession(session, caller.Capabilities, hasStream: _registrations.Sessions.Any(s => s.SessionHash == session && s.HasStream));
            StayActiveWhileListened();
        }

        return _calls.Begin(caller);
    }
}
