using Orleans.Configuration;
using Orleans.TestingHost;

namespace McpGrains.Persistence.Tests;

public sealed class PostgresSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[PostgresTestCluster.ConnectionStringKey]
            ?? throw new InvalidOperationException("The test cluster has no PostgreSQL connection string.");
        siloBuilder.UseMcpGrainsPostgres(connectionString, PostgresTestCluster.StorageName);

        // A killed silo is declared dead after one missed probe, so failover tests finish in seconds.
        siloBuilder.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 1;
            options.NumVotesForDeathDeclaration = 1;
        });
        siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }
}
