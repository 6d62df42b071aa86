using System.Collections.Concurrent;

namespace McpGrains.Persistence.Tests;

/// <summary>Lets a test await a reminder tick: the silos run in the test process, so the grain signals directly.</summary>
public static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Ticks = new(StringComparer.Ordinal);

    public static Task WaitForTickAsync(string grainKey) => Source(grainKey).Task;

    public static void Signal(string grainKey) => Source(grainKey).TrySetResult();

    private static TaskCompletionSource Source(string grainKey) =>
        Ticks.GetOrAdd(grainKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
