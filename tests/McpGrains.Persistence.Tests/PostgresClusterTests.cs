using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace McpGrains.Persistence.Tests;

/// <summary>Grain state, membership and reminders through PostgreSQL, on one shared two-silo cluster.</summary>
public sealed class PostgresClusterTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly PostgresTestCluster _postgres = fixture.Postgres;

    private TestCluster Cluster => _postgres.Cluster;

    [Fact]
    public async Task Membership_EverySiloIsActiveInTheMembershipTable()
    {
        var active = await _postgres.QueryScalarAsync<long>("SELECT count(*) FROM orleans_membership WHERE status = 3");
        var version = await _postgres.QueryScalarAsync<int>("SELECT version FROM orleans_membership_version");

        Assert.Equal(2, active);
        Assert.True(version >= 2, $"Each silo's join bumps the table version; it is {version}.");
        // The client found its gateways through GatewaysQueryKey: a call proves it.
        Assert.Equal(1, await Cluster.Client.GetGrain<IPersistenceProbeGrain>("membership").AppendAsync("hello", CancellationToken.None));
    }

    [Fact]
    public async Task Reminder_Registered_IsStoredInPostgresFiresAndIsRemoved()
    {
        var key = "reminder-" + Guid.NewGuid().ToString("N");
        var grain = Cluster.Client.GetGrain<IPersistenceProbeGrain>(key);
        var grainId = grain.GetGrainId();
        var ticked = ReminderTicks.WaitForTickAsync(key);

        await grain.ScheduleReminderAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(1L, await _postgres.QueryScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminder WHERE grain_id = @grainId AND reminder_name = @name AND grain_hash = @hash AND period_ms = 1000",
            ("grainId", grainId.ToString()),
            ("name", PersistenceProbeGrain.ReminderName),
            ("hash", unchecked((int)grainId.GetUniformHashCode()))));
        await ticked.WaitAsync(Patience);
        Assert.True((await grain.ReadAsync(CancellationToken.None)).ReminderTicks >= 1);

        await grain.CancelReminderAsync(CancellationToken.None);

        Assert.Equal(0L, await _postgres.QueryScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminder WHERE grain_id = @grainId", ("grainId", grainId.ToString())));
    }

    [Fact]
    public async Task GrainStorage_StaleETag_IsRejectedWithInconsistentStateException()
    {
        var services = Cluster.GetSiloServiceProvider();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(PostgresTestCluster.StorageName);
        var grainId = GrainId.Create("probe", "etag-" + Guid.NewGuid().ToString("N"));
        const string stateName = "probe";

        var writer = new GrainState<ProbeState>(new ProbeState { Entries = ["first"] });
        await storage.WriteStateAsync(stateName, grainId, writer);
        var stale = new GrainState<ProbeState>();
        await storage.ReadStateAsync(stateName, grainId, stale);
        writer.State!.Entries.Add("second");
        await storage.WriteStateAsync(stateName, grainId, writer);

        stale.State!.Entries.Add("lost update");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, stale));
        var blind = new GrainState<ProbeState>(new ProbeState { Entries = ["blind insert"] });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, blind));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, grainId, stale));

        var current = new GrainState<ProbeState>();
        await storage.ReadStateAsync(stateName, grainId, current);
        Assert.Equal(["first", "second"], current.State!.Entries);
        Assert.Equal(writer.ETag, current.ETag);
        Assert.True(current.RecordExists);

        // The payload is Orleans' binary format, readable by the cluster's serializer.
        var payload = await _postgres.QueryScalarAsync<byte[]>(
            "SELECT payload FROM orleans_grain_state WHERE grain_id_extension = @key", ("key", grainId.Key.ToString()!));
        Assert.Equal(["first", "second"], services.GetRequiredService<Serializer>().Deserialize<ProbeState>(payload)!.Entries);

        await storage.ClearStateAsync(stateName, grainId, current);
        var cleared = new GrainState<ProbeState>();
        await storage.ReadStateAsync(stateName, grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Empty(cleared.State!.Entries);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, writer));
        cleared.State!.Entries.Add("after clear");
        await storage.WriteStateAsync(stateName, grainId, cleared);
    }
}
