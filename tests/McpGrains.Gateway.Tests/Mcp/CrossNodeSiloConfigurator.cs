using McpGrains.Grains;
using Orleans.TestingHost;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>A silo of the cross-node test cluster, configured as the host configures its silos.</summary>
public sealed class CrossNodeSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.AddMcpGrainsSilo();
        siloBuilder.AddMemoryGrainStorage(McpGrainsStorage.Name);
        siloBuilder.AddMemoryGrainStorage(McpGrainsStorage.KeysName);
        siloBuilder.UseInMemoryReminderService();
    }
}
