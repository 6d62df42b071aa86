namespace McpGrains.Grains.Tests.Cluster;

/// <summary>The session cluster with proactive refresh on (the default of the product).</summary>
public sealed class ProactiveRefreshClusterFixture : SessionClusterFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["McpGrains:Authorization:ProactiveRefresh"] = "true";
    }
}
