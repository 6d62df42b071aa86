using McpGrains.Cluster.Tests.Harness;

namespace McpGrains.Cluster.Tests;

/// <summary>Two silos and two front ends, started once for the tests that do not kill or restart processes.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public ClusterHarness Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ClusterHarness.CreateAsync();
        await Cluster.StartAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
