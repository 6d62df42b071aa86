using McpGrains.Downstream;

namespace McpGrains.Grains.Downstream;

// The session's GET stream: buffered server-to-client messages with event ids, polls that wait for them, and the
// announcements of a completed sign-in.
public sealed partial class DownstreamSessionGrain
{
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
}
