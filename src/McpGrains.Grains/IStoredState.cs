namespace McpGrains.Grains;

/// <summary>
/// One stored record as a grain's parts see it: the grain adapts its Orleans state to it (<see cref="StoredGrainState{TState}"/>),
/// unit tests keep it in memory. <see cref="ClearAsync"/> may put a fresh instance in <see cref="State"/>: read it
/// again afterwards, never keep the old one.
/// </summary>
public interface IStoredState<out TState>
    where TState : class
{
    TState State { get; }

    Task WriteAsync(CancellationToken cancellationToken);

    Task ClearAsync(CancellationToken cancellationToken);
}
