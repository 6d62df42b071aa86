using McpGrains.Grains.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Grains.Tests;

/// <summary>Sessions holding a refresh token are refreshed before expiry even when nobody uses them.</summary>
public sealed class ProactiveRefreshTests : IClassFixture<ProactiveRefreshClusterFixture>
{
    private readonly ProactiveRefreshClusterFixture _fixture;

    public ProactiveRefreshTests(ProactiveRefreshClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task ProactiveRefresh_ReminderIsRegisteredAndRefreshesAnIdleSessionBeforeExpiry()
    {
        var key = SessionClusterFixture.NewKey();
        await _fixture.ConnectAsync(key);
        var grainId = GrainId.Create("mcpsession", key.Format());
        var reminders = _fixture.Cluster.GetSiloServiceProvider(_fixture.Cluster.Primary!.SiloAddress).GetRequiredService<IReminderTable>();
        var refreshes = _fixture.AuthorizationServer.RefreshRequestCount;

        // A tick long before expiry does nothing; one within interval + skew of expiry refreshes, with no caller.
        await _fixture.Session(key).AsReference<IRemindable>().ReceiveReminder("proactive-refresh", default);
        Assert.Equal(refreshes, _fixture.AuthorizationServer.RefreshRequestCount);
        _fixture.Clock.Advance(TimeSpan.FromMinutes(55));
        await _fixture.Session(key).AsReference<IRemindable>().ReceiveReminder("proactive-refresh", default);

        Assert.Equal(refreshes + 1, _fixture.AuthorizationServer.RefreshRequestCount);
        var entries = await reminders.ReadRows(grainId);
        Assert.Contains(entries.Reminders, r => r.ReminderName == "proactive-refresh");

        // Disconnecting removes it.
        await _fixture.Session(key).DisconnectAsync();
        Assert.DoesNotContain((await reminders.ReadRows(grainId)).Reminders, r => r.ReminderName == "proactive-refresh");
    }

    [Fact]
    public void OrleansMachinery_RunsOnRealTime_WhileMcpGrainsAndGrainTimersRunOnTheTestClock()
    {
        var services = _fixture.Cluster.GetSiloServiceProvider(_fixture.Cluster.Primary!.SiloAddress);

        Assert.All(TestSiloConfigurator.RealTimeClockKeys, key => Assert.Same(TimeProvider.System, services.GetRequiredKeyedService<TimeProvider>(key)));
        Assert.Same(_fixture.Clock, services.GetRequiredKeyedService<TimeProvider>(Orleans.Runtime.TimeProviderNames.Grains));
        Assert.Same(_fixture.Clock, services.GetRequiredService<TimeProvider>());
    }
}
