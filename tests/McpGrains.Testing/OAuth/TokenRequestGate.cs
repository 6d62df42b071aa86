namespace McpGrains.Testing;

/// <summary>
/// Parks /token requests while closed so tests can line up concurrent refreshes deterministically:
/// <c>Close()</c>, start the requests, <c>await WaitForWaitersAsync(n)</c>, then <c>Open()</c>.
/// Open by default.
/// </summary>
public sealed class TokenRequestGate
{
    private readonly Lock _sync = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiterWatches = [];
    private TaskCompletionSource _opened = NewSignal();
    private int _waiting;
    private int _passed;

    public TokenRequestGate()
    {
        _opened.SetResult();
    }

    public bool IsOpen
    {
        get
        {
            lock (_sync)
            {
                return _opened.Task.IsCompleted;
            }
        }
    }

    /// <summary>Requests currently parked at the gate.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_sync)
            {
                return _waiting;
            }
        }
    }

    /// <summary>Requests that went through the gate so far.</summary>
    public int PassedCount
    {
        get
        {
            lock (_sync)
            {
                return _passed;
            }
        }
    }

    public void Close()
    {
        lock (_sync)
        {
            if (_opened.Task.IsCompleted)
            {
                _opened = NewSignal();
            }
        }
    }

    public void Open()
    {
        TaskCompletionSource opened;
        lock (_sync)
        {
            opened = _opened;
        }

        opened.TrySetResult();
    }

    /// <summary>Completes once at least <paramref name="count"/> requests are parked at the gate.</summary>
    public Task WaitForWaitersAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_waiting >= count)
            {
                return Task.CompletedTask;
            }

            var signal = NewSignal();
            _waiterWatches.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    internal async Task PassAsync(CancellationToken cancellationToken)
    {
        Task opened;
        List<TaskCompletionSource> reached = [];
        lock (_sync)
        {
            opened = _opened.Task;
            if (!opened.IsCompleted)
            {
                _waiting++;
                _waiterWatches.RemoveAll(watch =>
                {
                    if (watch.Count <= _waiting)
                    {
                        reached.Add(watch.Signal);
                        return true;
                    }

                    return false;
                });
            }
        }

        foreach (var signal in reached)
        {
            signal.TrySetResult();
        }

        if (!opened.IsCompleted)
        {
            try
            {
                await opened.WaitAsync(cancellationToken);
            }
            finally
            {
                lock (_sync)
                {
                    _waiting--;
                }
            }
        }

        lock (_sync)
        {
            _passed++;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
