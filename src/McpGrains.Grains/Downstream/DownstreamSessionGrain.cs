using McpGrains.Configuration;
using McpGrains.Downstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

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

    private static readonly string[] ListChanged =
    [
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
    ];

    private readonly IPersistentState<DownstreamSessionState> _state;
    private readonly DownstreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<IDownstreamEndpoint> _cachers = [];
    private readonly HashSet<string> _elicitations = new(StringComparer.Ordinal);
    private DownstreamEventBuffer _buffer = null!;
    private Guid _stream;
    private TaskCompletionSource<DownstreamStreamStatus>? _waiting;
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

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _buffer = new DownstreamEventBuffer(_options.EventBufferSize, _options.EventBufferLifetime);
        _lastUsed = _state.State.LastUsedAt;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Exists && _lastUsed - _state.State.LastUsedAt > TimeSpan.FromSeconds(1))
        {
            _state.State.LastUsedAt = _lastUsed;
            await _state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task StartAsync(DownstreamSessionInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
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
        await _state.WriteStateAsync(cancellationToken);
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, PersistEvery.Ticks));
        await this.RegisterOrUpdateReminder(IdleReminder, period, period);
        LogStarted(_logger, info.Key, info.ProtocolVersion);
    }

    public async Task<DownstreamSessionInfo?> ResolveAsync(IDownstreamEndpoint? cachingEndpoint, CancellationToken cancellationToken = default)
    {
        if (!Exists || await ExpireIfIdleAsync(cancellationToken))
        {
            return null;
        }

        _lastUsed = _time.GetUtcNow();
        if (_lastUsed - _state.State.LastUsedAt >= PersistEvery)
        {
            _state.State.LastUsedAt = _lastUsed;
            await _state.WriteStateAsync(cancellationToken);
        }

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

    public Task OnMessageAsync(string messageJson)
    {
        if (Exists)
        {
            _buffer.Append(messageJson, _time.GetUtcNow());
            _waiting?.TrySetResult(DownstreamStreamStatus.Open);
        }

        return Task.CompletedTask;
    }

    public Task OnAuthorizationCompletedAsync(string elicitationId)
    {
        if (Exists)
        {
            Announce(_elicitations.Remove(elicitationId) ? [elicitationId] : []);
        }

        return Task.CompletedTask;
    }

    public Task RecordElicitationAsync(string elicitationId)
    {
        _elicitations.Add(elicitationId);
        return Task.CompletedTask;
    }

    public async Task<DownstreamEvents> PollAsync(Guid streamId, string? lastEventId, bool attach, CancellationToken cancellationToken = default)
    {
        if (!Exists)
        {
            return new DownstreamEvents(DownstreamStreamStatus.Gone, "", []);
        }

        if (attach)
        {
            _stream = streamId;
            _waiting?.TrySetResult(DownstreamStreamStatus.Superseded);
        }
        else if (streamId != _stream)
        {
            return new DownstreamEvents(DownstreamStreamStatus.Superseded, "", []);
        }

        _lastUsed = _time.GetUtcNow();
        await RenewAttachmentAsync(cancellationToken);
        var after = _buffer.ResumeAfter(lastEventId);
        if (!attach && !_buffer.HasAfter(after))
        {
            var status = await WaitAsync(cancellationToken);
            if (status != DownstreamStreamStatus.Open)
            {
                return new DownstreamEvents(status, "", []);
            }
        }

        var events = _buffer.TakeAfter(after, _time.GetUtcNow());
        return new DownstreamEvents(DownstreamStreamStatus.Open, events.Length > 0 ? events[^1].Id : _buffer.Cursor(after), events);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists)
        {
            await UnregisterIdleReminderAsync();
            return;
        }

        if (!await ExpireIfIdleAsync(CancellationToken.None) && _lastUsed - _state.State.LastUsedAt >= TimeSpan.FromSeconds(1))
        {
            _state.State.LastUsedAt = _lastUsed;
            await _state.WriteStateAsync();
        }
    }

    /// <summary>Waits for a message, the end of the session or another stream; answers Open (empty) after the poll wait.</summary>
    private async Task<DownstreamStreamStatus> WaitAsync(CancellationToken cancellationToken)
    {
        var waiting = new TaskCompletionSource<DownstreamStreamStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting = waiting;
        try
        {
            return await waiting.Task.WaitAsync(DownstreamEvents.PollWait, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return DownstreamStreamStatus.Open;
        }
        finally
        {
            if (_waiting == waiting)
            {
                _waiting = null;
            }
        }
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
        if (connected && _elicitations.Count > 0)
        {
            Announce([.. _elicitations]);
            _elicitations.Clear();
        }
    }

    private void Announce(IReadOnlyCollection<string> completedElicitations)
    {
        var now = _time.GetUtcNow();
        foreach (var elicitationId in completedElicitations)
        {
            _buffer.Append(DownstreamNotifications.ElicitationComplete(elicitationId), now);
        }

        foreach (var method in ListChanged)
        {
            _buffer.Append(DownstreamNotifications.Empty(method), now);
        }

        _waiting?.TrySetResult(DownstreamStreamStatus.Open);
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
        _buffer.Clear();
        _elicitations.Clear();
        _waiting?.TrySetResult(DownstreamStreamStatus.Gone);
        foreach (var endpoint in _cachers)
        {
            await endpoint.OnSessionEndedAsync(Hash);
        }

        _cachers.Clear();
        await UnregisterIdleReminderAsync();
        await GrainFactory.GetGrain<IMcpSessionGrain>(key.Format()).DetachDownstreamAsync(Hash, cancellationToken);
        LogEnded(_logger, key, reason);
        DeactivateOnIdle();
    }

    private async Task UnregisterIdleReminderAsync()
    {
        if (await this.GetReminder(IdleReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
