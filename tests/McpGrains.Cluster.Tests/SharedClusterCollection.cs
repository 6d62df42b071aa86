namespace McpGrains.Cluster.Tests;

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared cluster";
}
