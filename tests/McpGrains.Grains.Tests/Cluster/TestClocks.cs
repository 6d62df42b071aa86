using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>Clocks that test code and in-process silos share, found by id through silo configuration.</summary>
internal static class TestClocks
{
    public const string ConfigurationKey = "McpGrainsTesting:ClockId";

    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    public static (string Id, FakeTimeProvider Clock) Create()
    {
        var id = Guid.NewGuid().ToString("N");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.Zero };
        Clocks[id] = clock;
        return (id, clock);
    }

    public static FakeTimeProvider? Get(string? id) => id is not null && Clocks.TryGetValue(id, out var clock) ? clock : null;
}
