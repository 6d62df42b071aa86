namespace McpGrains.Grains;

/// <summary>A grain's persistent state handed to the Orleans-free parts that decide when to write it.</summary>
internal sealed class StoredGrainState<TState>(IPersistentState<TState> state) : IStoredState<TState>
    where TState : class
{
    public TState State => state.State;

    public Task WriteAsync(CancellationToken cancellationToken) => state.WriteStateAsync(cancellationToken);

    public Task ClearAsync(CancellationToken cancellationToken) => state.ClearStateAsync(cancellationToken);
}
