namespace McpGrains.Grains.Tests.Cluster;

/// <summary>The session cluster with silos that declare a killed silo dead within seconds and a client that gives up on it after seconds, not the default 30.</summary>
public sealed class FailoverClusterFixture : SessionClusterFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings[TestClientConfigurator.FastFailoverKey] = "true";
        settings[TestSiloConfigurator.FastMembershipKey] = "true";
    }
}
