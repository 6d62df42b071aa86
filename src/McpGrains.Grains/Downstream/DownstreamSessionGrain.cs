using McpGrains.Configuration;
using McpGrains.Downstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// One downstream MCP session, keyed by the hash of its id (see <see cref="IDownstreamSessionGrain"/>). Any front end
/// resolves it (and caches the answer until told the session ended); its GET stream polls it for the buffered
/// server-to-client messages. Polls interleave with everything else; nothing else awaits while holding state.
/// </summary>
public sealed partial class DownstreamSessionGrain : Grain, IDownstreamSessionGrain, IRemindable
{
    private const string IdleReminder = "idle";

    /// <summary>How often a polled session renews its registration with the session grain of its key.</summary>
    private static readonly TimeSpan AttachRenewal = TimeSpan.FromSeconds(60);

    private readonly IPersistentState<DownstreamSessionState> _state;
    private readonly DownstreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<IDownstreamEndpoint> _cachers = [];
    private DownstreamStream _stream = null!;
    private DateTimeOffset _lastUsed;
    private DateTimeOffset _attachedAt;

    public DownstreamSessionGrain(
        [PersistentState("downstream-session", McpGrainsStorage.Name)] IPersistentState<DownstreamSessionState> state,
        IOptions<McpGrainsOptions> options,
        TimeProvider time,
        ILogger<DownstreamSessionGrain> logger)
    {
        _state = state;
        _options = options.Value.Downstream;
        _time = time;
        _logger = logger;
    }

    private bool Exists => _state.State.Key is not null;

    private string Hash => this.GetPrimaryKeyString();

    private McpSessionKey Key => McpSessionKey.Parse(_state.State.Key!);

    private TimeSpan PersistEvery => _options.SessionIdleTimeout / 4;

    /// <summary>How often a session checks whether it has been idle too long (and renews its place in the quota).</summary>
    internal static TimeSpan IdleCheckPeriod(DownstreamOptions options) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, options.SessionIdleTimeout.Ticks / 4));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = new DownstreamStream(_options, _time);
        _lastUsed = _state.State.LastUsedAt;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Exists ? PersistLastUsedAsync(TimeSpan.FromSeconds(1), cancellationToken) : Task.CompletedTask;

    public async Task<DownstreamSessionLimit?> StartAsync(DownstreamSessionInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        var quota = GrainFactory.GetGrain<IDownstreamSessionQuotaGrain>(info.Key.TenantId);
        if (await quota.TryReserveAsync(Hash, info.Key, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = _time.GetUtcNow();
        _state.State = new DownstreamSessionState
        {
            Key = info.Key.Format(),
            ProtocolVersion = info.ProtocolVersion,
            Capabilities = info.Capabilities,
            ClientName = info.ClientName,
            ClientVersion = info.ClientVersion,
            CreatedAt = now,
            LastUsedAt = now,
        };
        _lastUsed = now;
        try
        {
            await _state.WriteStateAsync(cancellationToken);
            var period = IdleCheckPeriod(_options);
            await Reminders.ReminderRegistration.RegisterOrUpdateAsync(this, IdleReminder, period, period);
        }
        catch
        {
            // No session: its place is free again.
            _state.State = new DownstreamSessionState();
            await quota.ReleaseAsync(Hash, CancellationToken.None);
            throw;
        }

        LogStarted(_logger, info.Key, info.ProtocolVersion);
        return null;
    }

    public async Task<DownstreamSessionInfo?> ResolveAsync(IDownstreamEndpoint? cachingEndpoint, CancellationToken cancellationToken = default)
    {
        if (!Exists || await ExpireIfIdleAsync(cancellationToken))
        {
            return null;
        }

        _lastUsed = _time.GetUtcNow();
        await PersistLastUsedAsync(PersistEvery, cancellationToken);

        if (cachingEndpoint is not null)
        {
            _cachers.Add(cachingEndpoint);
        }

        var state = _state.State;
        return new DownstreamSessionInfo(Key, state.ProtocolVersion!, state.Capabilities ?? DownstreamCapabilities.None, state.ClientName, state.ClientVersion);
    }

    public async Task<bool> EndAsync(CancellationToken cancellationToken = default)
    {
        if (!Exists)
        {
            return false;
        }

        await EndCoreAsync("deleted", cancellationToken);
        return true;
    }

    public Task OnMessageAsync(string messageJson) => IfExists(() => _stream.Append(messageJson));

    public Task OnAuthorizationCompletedAsync(string elicitationId) => IfExists(() => _stream.OnSignInCompleted(elicitationId));

    public Task RecordElicitationAsync(string elicitationId)
    {
        _stream.RecordPromptedSignIn(elicitationId);
        return Task.CompletedTask;
    }

    public async Task<DownstreamEvents> PollAsync(Guid streamId, string? lastEventId, bool attach, CancellationToken cancellationToken = default)
    {
        if (!Exists || !_stream.Take(streamId, attach))
        {
            return new DownstreamEvents(Exists ? DownstreamStreamStatus.Superseded : DownstreamStreamStatus.Gone, "", []);
        }

        _lastUsed = _time.GetUtcNow();
        await RenewAttachmentAsync(cancellationToken);
        return await _stream.PollAsync(lastEventId, attach, cancellationToken);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists)
        {
            await UnregisterIdleReminderAsync();
            return;
        }

        if (await ExpireIfIdleAsync(CancellationToken.None))
        {
            return;
        }

        var key = Key;
        await GrainFactory.GetGrain<IDownstreamSessionQuotaGrain>(key.TenantId).RenewAsync(Hash, key);
        await PersistLastUsedAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
    }

    private Task IfExists(Action action)
    {
        if (Exists)
        {
            action();
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes the last use when the stored one is at least <paramref name="staleness"/> behind it.</summary>
    private async Task PersistLastUsedAsync(TimeSpan staleness, CancellationToken cancellationToken)
    {
        if (_lastUsed - _state.State.LastUsedAt >= staleness)
        {
            _state.State.LastUsedAt = _lastUsed;
            await _state.WriteStateAsync(cancellationToken);
        }
    }

    private async Task<bool> ExpireIfIdleAsync(CancellationToken cancellationToken)
    {
        var lastUsed = _lastUsed > _state.State.LastUsedAt ? _lastUsed : _state.State.LastUsedAt;
        if (_time.GetUtcNow() - lastUsed <= _options.SessionIdleTimeout)
        {
            return false;
        }

        await EndCoreAsync("expired", cancellationToken);
        return true;
    }

    private async Task EndCoreAsync(string reason, CancellationToken cancellationToken)
    {
        var key = Key;
        await _state.ClearStateAsync(cancellationToken);
        _state.State = new DownstreamSessionState();
        _stream.End();
        foreach (var endpoint in _cachers)
        {
            await endpoint.OnSessionEndedAsync(Hash);
        }

        _cachers.Clear();
        await UnregisterIdleReminderAsync();
        await GrainFactory.GetGrain<IDownstreamSessionQuotaGrain>(key.TenantId).ReleaseAsync(Hash, cancellationToken);
        await GrainFactory.GetGrain<IMcpSessionGrain>(key.Format()).DetachDownstreamAsync(Hash, cancellationToken);
        LogEnded(_logger, key, reason);
        DeactivateOnIdle();
    }

    /// <summary>
    /// Keeps the session grain of the key sending this session its notifications. Registrations live in that grain's
    /// memory: one that was reactivated meanwhile may have completed a sign-in this session was prompted for.
    /// </summary>
    private async Task RenewAttachmentAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _attachedAt < AttachRenewal)
        {
            return;
        }

        _attachedAt = now;
        var connected = await GrainFactory.GetGrain<IMcpSessionGrain>(_state.State.Key!)
            .AttachDownstreamAsync(Hash, _state.State.Capabilities ?? DownstreamCapabilities.None, cancellationToken);
        if (connected && _stream.HasPromptedSignIns)
        {
            _stream.OnConnected();
        }
    }

    private async Task UnregisterIdleReminderAsync()
    {
        if (await this.GetReminder(IdleReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
