namespace McpGrains.Grains.Tests.Cluster;

/// <summary>The session cluster with a client that gives up on a dead silo after seconds, not the default 30.</summary>
public sealed class FailoverClusterFixture : SessionClusterFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings[TestClientConfigurator.FastFailoverKey] = "true";
    }
}
