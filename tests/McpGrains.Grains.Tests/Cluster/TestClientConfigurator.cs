using McpGrains.Clustering;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>For failover tests, a cluster client that notices a dead silo quickly, as front ends are configured to.</summary>
public sealed class TestClientConfigurator : IClientBuilderConfigurator
{
    public const string FastFailoverKey = "McpGrainsTesting:FastFailover";

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        if (!string.Equals(configuration[FastFailoverKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        clientBuilder.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        clientBuilder.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        clientBuilder.AddOutgoingGrainCallFilter(new FailoverRetryFilter(TimeSpan.FromSeconds(60), TimeProvider.System));
    }
}
