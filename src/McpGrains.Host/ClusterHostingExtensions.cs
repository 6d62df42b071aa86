using System.Net;
using McpGrains.Clustering;
using McpGrains.Grains;
using McpGrains.Grains.Keys;
using McpGrains.Persistence;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace McpGrains.Host;

public static class ClusterHostingExtensions
{
    /// <summary>
    /// Joins the process to the cluster in its role. Without <c>McpGrains:Postgres:ConnectionString</c>: one local silo
    /// with in-memory storage (development). With it: ADO.NET clustering, storage and reminders on PostgreSQL. Either
    /// way the node checks its master keys against the cluster's record (<see cref="KeyRingCheck"/>) before serving,
    /// unless <paramref name="checkKeys"/> is false (a tool that encrypts nothing itself, such as <c>reencrypt</c>).
    /// </summary>
    public static IHostApplicationBuilder AddMcpGrainsCluster(this IHostApplicationBuilder builder, HostRole role, bool checkKeys = true)
    {
        var configuration = builder.Configuration;
        var postgres = configuration[$"{PostgresOptions.SectionName}:ConnectionString"];
        var cluster = configuration.GetSection(ClusterHostOptions.SectionName).Get<ClusterHostOptions>() ?? new ClusterHostOptions();
        builder.Services.AddOptions<ClusterHostOptions>().BindConfiguration(ClusterHostOptions.SectionName);

        if (role.HasSilo())
        {
            builder.UseOrleans(silo =>
            {
                silo.AddMcpGrainsKeyRingCheck();
                if (string.IsNullOrWhiteSpace(postgres))
                {
                    silo.UseMcpGrainsLocalSilo();
                    return;
                }

                silo.UseMcpGrainsPostgres(postgres, McpGrainsStorage.Name);
                silo.AddMcpGrainsPostgresStorage(postgres, McpGrainsStorage.KeysName, deleteStateOnClear: true);
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
                silo.Services.AddOptions<LocalSiloOptions>().BindConfiguration(LocalSiloOptions.SectionName);
                silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<LocalSiloOptions>>((endpoints, local) =>
                {
                    endpoints.SiloPort = local.Value.SiloPort;
                    endpoints.GatewayPort = local.Value.GatewayPort;
                    endpoints.AdvertisedIPAddress = ResolveAdvertisedAddress(cluster.AdvertisedAddress);
                });
                silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration($"{ClusterHostOptions.SectionName}:Membership");
                silo.Services.AddMcpGrainsSilo();
            });
            return builder;
        }

        builder.UseOrleansClient(client =>
        {
            if (string.IsNullOrWhiteSpace(postgres))
            {
                // A front end beside a development silo on this machine.
                var gatewayPort = configuration.GetValue($"{LocalSiloOptions.SectionName}:GatewayPort", new LocalSiloOptions().GatewayPort);
                client.UseLocalhostClustering(gatewayPort);
            }
            else
            {
                client.UseMcpGrainsPostgresClustering(postgres);
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
            }

            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.AddOutgoingGrainCallFilter(new FailoverRetryFilter(cluster.FailoverRetryTime, TimeProvider.System));
        });
        if (checkKeys)
        {
            builder.Services.AddSingleton<KeyRingCheck>();
            builder.Services.AddHostedService<KeyRingCheckService>();
        }

        return builder;
    }

    /// <summary>
    /// An IP address as is, or a host name resolved once at start-up (in compose or Kubernetes a silo knows its own
    /// service or pod name, not its address); empty means loopback (one machine).
    /// </summary>
    public static IPAddress ResolveAdvertisedAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }

        var resolved = Dns.GetHostAddresses(address);
        return resolved.FirstOrDefault(candidate => candidate.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? resolved.FirstOrDefault()
            ?? throw new InvalidOperationException($"{ClusterHostOptions.SectionName}:AdvertisedAddress '{address}' does not resolve to an address.");
    }
}
