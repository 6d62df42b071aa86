using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>A silo as the host configures it, with storage that outlives any one silo and a shared fake clock.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    /// <summary>
    /// One-second probes and one vote to declare a silo dead, for a fixture that kills silos. Other fixtures keep
    /// Orleans' defaults: membership runs on real time, and under CI load a one-second probe can miss.
    /// </summary>
    public const string FastMembershipKey = "McpGrainsTesting:FastMembership";

    /// <summary>
    /// The clocks of Orleans' own machinery (Orleans 10.4 resolves one keyed <see cref="TimeProvider"/> per area, falling
    /// back to the unkeyed one): messaging timeouts, membership probes, system timers, activation collection, the
    /// directory cache and the reminder service. Only grain timers (<see cref="TimeProviderNames.Grains"/>) and
    /// McpGrains' own code follow the test clock.
    /// </summary>
    public static readonly IReadOnlyList<string> RealTimeClockKeys =
    [
        TimeProviderNames.Messaging,
        TimeProviderNames.Membership,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
        ReminderTimeProviderNames.Reminders,
    ];

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.AddMcpGrainsSilo();
        siloBuilder.AddReminders();
        siloBuilder.Services.AddSingleton<IReminderTable>(sp => new ProcessWideReminderTable(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(
            McpGrainsStorage.Name,
            (sp, _) => new ProcessWideGrainStorage(sp.GetRequiredService<Serializer>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(
            McpGrainsStorage.KeysName,
            (sp, _) => new ProcessWideGrainStorage(sp.GetRequiredService<Serializer>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId + "/keys"));
        siloBuilder.Services.AddSingleton<ILoggerProvider>(TestLogs.Capture);
        var clock = TestClocks.Get(siloBuilder.Configuration[TestClocks.ConfigurationKey]);
        if (clock is not null)
        {
            siloBuilder.Services.AddSingleton<TimeProvider>(clock);

            // Orleans' own machinery runs on real time, as Orleans' documentation of these keys advises for tests. On
            // the fake clock: an in-flight call timed out at once when a test advanced the clock by hours, a lost
            // message could wait forever, membership counted the hours as missed probes; an initial load of the
            // reminder table that failed at a busy start-up was retried only when a test next advanced the clock,
            // and every registration failed "still initializing" until then. Tests deliver reminder ticks themselves
            // (ReceiveReminder).
            foreach (var key in RealTimeClockKeys)
            {
                siloBuilder.Services.AddKeyedSingleton(key, TimeProvider.System);
            }
        }

        if (string.Equals(siloBuilder.Configuration[CrashInjectionClusterFixture.Key], "true", StringComparison.OrdinalIgnoreCase))
        {
            siloBuilder.Services.AddHttpClient<McpGrains.OAuth.TokenClient>().AddHttpMessageHandler(() => new CrashInjector());
        }

        if (!string.Equals(siloBuilder.Configuration[FastMembershipKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Declare a killed silo dead quickly, so tests wait on membership, not on defaults meant for production.
        siloBuilder.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 1;
            options.NumVotesForDeathDeclaration = 1;
            options.NumProbedSilos = 1;
        });
    }
}
