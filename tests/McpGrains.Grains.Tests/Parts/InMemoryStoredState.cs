namespace McpGrains.Grains.Tests.Parts;

/// <summary>A stored record in memory, counting writes; clearing puts a fresh instance in place, as Orleans does.</summary>
internal sealed class InMemoryStoredState<TState> : IStoredState<TState>
    where TState : class, new()
{
    public TState State { get; private set; } = new();

    public int Writes { get; private set; }

    public int Clears { get; private set; }

    public Task WriteAsync(CancellationToken cancellationToken)
    {
        Writes++;
        return Task.CompletedTask;
    }

    public Task ClearAsync(CancellationToken cancellationToken)
    {
        Clears++;
        State = new TState();
        return Task.CompletedTask;
    }
}
