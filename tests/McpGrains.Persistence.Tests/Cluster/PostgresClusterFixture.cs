namespace McpGrains.Persistence.Tests;

/// <summary>One PostgreSQL-backed cluster shared by the tests of a class that leave its silos alone.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private PostgresTestCluster? _postgres;

    public PostgresTestCluster Postgres => _postgres ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync() => _postgres = await PostgresTestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
