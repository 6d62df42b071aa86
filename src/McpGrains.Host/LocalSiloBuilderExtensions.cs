using System.Net;
using McpGrains.Configuration;
using McpGrains.Grains;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace McpGrains.Host;

public static class LocalSiloBuilderExtensions
{
    /// <summary>
    /// One silo with localhost clustering and in-memory grain storage: the development and single-process shape.
    /// Ports come from <see cref="LocalSiloOptions"/>, read from the final configuration when options are built, so
    /// configuration added by a test host is honoured.
    /// </summary>
    public static ISiloBuilder UseMcpGrainsLocalSilo(this ISiloBuilder silo)
    {
        silo.UseLocalhostClustering();
        silo.Services.AddOptions<LocalSiloOptions>().BindMcpGrainsConfiguration(LocalSiloOptions.SectionName);
        silo.Services.AddOptions<EndpointOptions>().PostConfigure<IOptions<LocalSiloOptions>>((endpoints, local) =>
        {
            endpoints.SiloPort = local.Value.SiloPort;
            endpoints.GatewayPort = local.Value.GatewayPort;
        });
        silo.Services.AddOptions<DevelopmentClusterMembershipOptions>().PostConfigure<IOptions<LocalSiloOptions>>((membership, local) =>
            membership.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, local.Value.SiloPort));

        silo.AddMemoryGrainStorage(McpGrainsStorage.Name);
        silo.AddMemoryGrainStorage(McpGrainsStorage.KeysName);
        silo.UseInMemoryReminderService();
        silo.Services.AddMcpGrainsSilo();
        return silo;
    }
}
