using System.Globalization;
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
    public async Task ReminderTable_RangeReads_FollowTheHashRingIncludingWrappingRanges()
    {
        var table = Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grainIds = Enumerable.Range(0, 48)
            .Select(_ => GrainId.Create("range-probe", Guid.NewGuid().ToString("N")))
            .ToHashSet();
        var etags = new Dictionary<GrainId, string>();
        foreach (var grainId in grainIds)
        {
            etags[grainId] = (await table.UpsertRow(new ReminderEntry
            {
                GrainId = grainId,
                ReminderName = "range",
                StartAt = DateTime.UtcNow.AddHours(1),
                Period = TimeSpan.FromHours(1),
            }))!;
        }

        try
        {
            // Ranges are (begin, end] on the uint ring; the SQL stores hashes as signed integers.
            (uint Begin, uint End)[] ranges =
            [
                (0x2000_0000, 0x6000_0000), (0xA000_0000, 0xF000_0000), (0x1000_0000, 0x9000_0000),
                (0x9000_0000, 0x1000_0000), (0xF000_0000, 0x0100_0000), (0x4000_0000, 0x4000_0000),
            ];
            foreach (var (begin, end) in ranges)
            {
                var expected = grainIds.Where(id => InRange(id.GetUniformHashCode(), begin, end)).ToHashSet();
                var actual = (await table.ReadRows(begin, end)).Reminders
                    .Where(reminder => grainIds.Contains(reminder.GrainId))
                    .Select(reminder => reminder.GrainId)
                    .ToHashSet();
                Assert.True(expected.SetEquals(actual), $"Range ({begin:X8}, {end:X8}]: expected {expected.Count}, read {actual.Count}.");
            }

            var sample = grainIds.First();
            var stale = (int.Parse(etags[sample], CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture);
            Assert.False(await table.RemoveRow(sample, "range", stale));
            Assert.Equal(etags[sample], (await table.ReadRow(sample, "range"))!.ETag);
            Assert.True(await table.RemoveRow(sample, "range", etags[sample]));
            Assert.Null(await table.ReadRow(sample, "range"));
            etags.Remove(sample);
        }
        finally
        {
            // Rows of a grain type that does not exist must not outlive the test on the shared cluster.
            foreach (var (grainId, etag) in etags)
            {
                await table.RemoveRow(grainId, "range", etag);
            }
        }

        static bool InRange(uint hash, uint begin, uint end) =>
            begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
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
