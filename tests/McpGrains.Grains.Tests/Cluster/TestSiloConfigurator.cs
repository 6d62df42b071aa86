using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>A silo as the host configures it, with storage that outlives any one silo and a shared fake clock.</summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    /// <summary>
    /// Orleans' default membership probing, for a fixture that kills no silo and advances the shared fake clock (which
    /// Orleans' timers read too) by long steps: with 1-second probes, every step runs each probe it covers on the
    /// advancing thread, which stalled a test under CI load.
    /// </summary>
    public const string DefaultMembershipKey = "McpGrainsTesting:DefaultMembership";

    /// <summary>The service key of the clock Orleans' local reminder service takes (Orleans 10.4).</summary>
    private const string ReminderClockKey = "Orleans.Reminders";

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.AddMcpGrainsSilo();
        siloBuilder.UseInMemoryReminderService();
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

            // Orleans' reminder service keeps its own clock (the keyed "Orleans.Reminders" TimeProvider, which falls
            // back to the one above). On the fake clock, an initial load of the reminder table that failed during a
            // busy start-up was retried only when a test next advanced the clock, and until then every registration
            // waited 20 s and failed "still initializing". Tests deliver reminder ticks themselves (ReceiveReminder);
            // the service runs on real time.
            siloBuilder.Services.AddKeyedSingleton(ReminderClockKey, TimeProvider.System);
        }

        if (string.Equals(siloBuilder.Configuration[CrashInjectionClusterFixture.Key], "true", StringComparison.OrdinalIgnoreCase))
        {
            siloBuilder.Services.AddHttpClient<McpGrains.OAuth.TokenClient>().AddHttpMessageHandler(() => new CrashInjector());
        }

        if (string.Equals(siloBuilder.Configuration[DefaultMembershipKey], "true", StringComparison.OrdinalIgnoreCase))
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
