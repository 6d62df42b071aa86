using McpGrains.Configuration;
using McpGrains.Downstream;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// A downstream session's GET stream, without Orleans: the buffered server-to-client messages with their event ids,
/// which stream is the current one, the poll waiting for a message, and the sign-ins the session was prompted for
/// (announced as <c>elicitation/complete</c> and list-changed notifications once the user has connected). Used by
/// <see cref="DownstreamSessionGrain"/> one turn at a time.
/// </summary>
internal sealed class DownstreamStream(DownstreamOptions options, TimeProvider time)
{
    private static readonly string[] ListChanged =
    [
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
    ];

    private readonly DownstreamEventBuffer _buffer = new(options.EventBufferSize, options.EventBufferLifetime);
    private readonly HashSet<string> _elicitations = new(StringComparer.Ordinal);
    private Guid _current;
    private TaskCompletionSource<DownstreamStreamStatus>? _waiting;

    public bool HasPromptedSignIns => _elicitations.Count > 0;

    /// <summary>A message for the client: buffered, and the waiting poll (if any) answered.</summary>
    public void Append(string messageJson)
    {
        _buffer.Append(messageJson, time.GetUtcNow());
        _waiting?.TrySetResult(DownstreamStreamStatus.Open);
    }

    public void RecordPromptedSignIn(string elicitationId) => _elicitations.Add(elicitationId);

    /// <summary>A sign-in completed: announced if this session was prompted for it, and the lists changed either way.</summary>
    public void OnSignInCompleted(string elicitationId) => Announce(_elicitations.Remove(elicitationId) ? [elicitationId] : []);

    /// <summary>The user is connected now: every sign-in this session was prompted for is complete.</summary>
    public void OnConnected()
    {
        Announce([.. _elicitations]);
        _elicitations.Clear();
    }

    /// <summary>
    /// Makes <paramref name="streamId"/> the current stream when <paramref name="attach"/> (a poll waiting for the
    /// previous one is told it was superseded); false when it is not the current one.
    /// </summary>
    public bool Take(Guid streamId, bool attach)
    {
        if (attach)
        {
            _current = streamId;
            _waiting?.TrySetResult(DownstreamStreamStatus.Superseded);
            return true;
        }

        return streamId == _current;
    }

    /// <summary>The messages after <paramref name="lastEventId"/>; a poll (not an attach) with none waits for one.</summary>
    public async Task<DownstreamEvents> PollAsync(string? lastEventId, bool attach, CancellationToken cancellationToken)
    {
        var after = _buffer.ResumeAfter(lastEventId);
        if (!attach && !_buffer.HasAfter(after))
        {
            var status = await WaitAsync(cancellationToken);
            if (status != DownstreamStreamStatus.Open)
            {
                return new DownstreamEvents(status, "", []);
            }
        }

        var events = _buffer.TakeAfter(after, time.GetUtcNow());
        return new DownstreamEvents(DownstreamStreamStatus.Open, events.Length > 0 ? events[^1].Id : _buffer.Cursor(after), events);
    }

    /// <summary>The session ended: buffered messages are dropped and a waiting poll is told.</summary>
    public void End()
    {
        _buffer.Clear();
        _elicitations.Clear();
        _waiting?.TrySetResult(DownstreamStreamStatus.Gone);
    }

    /// <summary>Waits for a message, the end of the session or another stream; answers Open (empty) after the poll wait.</summary>
    private async Task<DownstreamStreamStatus> WaitAsync(CancellationToken cancellationToken)
    {
        var waiting = new TaskCompletionSource<DownstreamStreamStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting = waiting;
        try
        {
            return await waiting.Task.WaitAsync(DownstreamEvents.PollWait, time, cancellationToken);
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

    private void Announce(IReadOnlyCollection<string> completedElicitations)
    {
        var now = time.GetUtcNow();
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
