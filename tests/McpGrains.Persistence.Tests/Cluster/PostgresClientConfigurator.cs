using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace McpGrains.Persistence.Tests;

public sealed class PostgresClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = configuration[PostgresTestCluster.ConnectionStringKey]
            ?? throw new InvalidOperationException("The test cluster has no PostgreSQL connection string.");
        clientBuilder.UseMcpGrainsPostgresClustering(connectionString);
    }
}
