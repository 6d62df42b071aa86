using System.Net;
using McpGrains.Clustering;
using McpGrains.Configuration;
using McpGrains.Grains;
using McpGrains.Grains.Keys;
using McpGrains.Host.Telemetry;
using McpGrains.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace McpGrains.Host;

public static class ClusterHostingExtensions
{
    /// <summary>Orleans' <c>ClusterMembershipOptions</c>, bound in silos that use PostgreSQL clustering.</summary>
    public const string MembershipSectionName = $"{ClusterHostOptions.SectionName}:Membership";

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
        AddHostOptions(builder.Services);

        if (role.HasSilo())
        {
            builder.UseOrleans(silo =>
            {
                if (HostTelemetryExtensions.TracesGrainCalls(configuration))
                {
                    silo.AddActivityPropagation();
                }

                silo.AddMcpGrainsKeyRingCheck();
                if (string.IsNullOrWhiteSpace(postgres))
                {
                    silo.UseMcpGrainsLocalSilo();
                    return;
                }

                silo.UseMcpGrainsPostgres(postgres, McpGrainsStorage.Name);
                silo.AddMcpGrainsPostgresStorage(postgres, McpGrainsStorage.KeysName, deleteStateOnClear: true);
                ConfigureClusterIdentity(silo.Services);
                silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<LocalSiloOptions>, IOptions<ClusterHostOptions>>((endpoints, local, cluster) =>
                {
                    endpoints.SiloPort = local.Value.SiloPort;
                    endpoints.GatewayPort = local.Value.GatewayPort;
                    endpoints.AdvertisedIPAddress = ResolveAdvertisedAddress(cluster.Value.AdvertisedAddress);
                });
                silo.Services.AddOptions<ClusterMembershipOptions>().BindMcpGrainsConfiguration(MembershipSectionName);
                silo.Services.AddMcpGrainsSilo();
            });
            return builder;
        }

        builder.UseOrleansClient(client =>
        {
            if (HostTelemetryExtensions.TracesGrainCalls(configuration))
            {
                client.AddActivityPropagation();
            }

            if (string.IsNullOrWhiteSpace(postgres))
            {
                // A front end beside a development silo on this machine.
                var gatewayPort = configuration.GetValue($"{LocalSiloOptions.SectionName}:GatewayPort", new LocalSiloOptions().GatewayPort);
                client.UseLocalhostClustering(gatewayPort);
            }
            else
            {
                client.UseMcpGrainsPostgresClustering(postgres);
                ConfigureClusterIdentity(client.Services);
            }

            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Services.AddSingleton<IOutgoingGrainCallFilter>(services =>
                new FailoverRetryFilter(services.GetRequiredService<IOptions<ClusterHostOptions>>().Value.FailoverRetryTime, TimeProvider.System));
        });
        if (checkKeys)
        {
            builder.Services.AddSingleton<KeyRingCheck>();
            builder.Services.AddHostedService<KeyRingCheckService>();
        }

        return builder;
    }

    /// <summary>
    /// The host's own sections under <c>McpGrains:</c>, bound from the final configuration when options are built (so
    /// that configuration a test host adds is honoured) after the start-up check of every key under <c>McpGrains:</c>.
    /// Each is declared in every role, so that a setting meant for another role is accepted, not reported as unknown.
    /// </summary>
    private static void AddHostOptions(IServiceCollection services)
    {
        services.AddOptions<ClusterHostOptions>().BindMcpGrainsConfiguration(ClusterHostOptions.SectionName);
        services.AddOptions<LocalSiloOptions>().BindMcpGrainsConfiguration(LocalSiloOptions.SectionName);
        services.AddOptions<PostgresOptions>().BindMcpGrainsConfiguration(PostgresOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>());
        services.AddMcpGrainsConfigurationSection(McpGrainsOptions.SectionName, typeof(McpGrainsOptions));
        services.AddMcpGrainsConfigurationSection(MembershipSectionName, typeof(ClusterMembershipOptions));
        services.AddMcpGrainsConfigurationSection(HostRoles.ConfigurationKey, typeof(string));
    }

    private static void ConfigureClusterIdentity(IServiceCollection services) =>
        services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterHostOptions>>((options, cluster) =>
        {
            options.ClusterId = cluster.Value.ClusterId;
            options.ServiceId = cluster.Value.ServiceId;
        });

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
