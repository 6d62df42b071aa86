using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace McpGrains.Persistence.Tests;

/// <summary>Kills a silo of a PostgreSQL-backed cluster (its own cluster: the test changes the silos).</summary>
public sealed class PostgresFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private PostgresTestCluster _postgres = null!;

    private TestCluster Cluster => _postgres.Cluster;

    public async Task InitializeAsync() => _postgres = await PostgresTestCluster.StartAsync();

    public async Task DisposeAsync() => await _postgres.DisposeAsync();

    [Fact]
    public async Task GrainState_SiloHostingTheGrainIsKilled_StateIsReadBackFromPostgres()
    {
        var grains = Enumerable.Range(0, 8).Select(i => Cluster.Client.GetGrain<IPersistenceProbeGrain>($"failover-{i}")).ToArray();
        foreach (var grain in grains)
        {
            Assert.Equal(1, await grain.AppendAsync("before", CancellationToken.None));
        }

        var victimAddress = (await grains[0].ReadAsync(CancellationToken.None)).Silo;
        var victim = Cluster.Silos.Single(silo => silo.SiloAddress.Equals(victimAddress));
        var survivor = Cluster.Silos.First(silo => !silo.SiloAddress.Equals(victimAddress));
        var declaredDead = WaitUntilDeclaredDeadAsync(survivor, victimAddress);

        await Cluster.KillSiloAsync(victim);
        await declaredDead.WaitAsync(Patience);
        await Cluster.StartAdditionalSiloAsync();

        foreach (var grain in grains)
        {
            var snapshot = await CallThroughFailoverAsync(() => grain.ReadAsync(CancellationToken.None));
            Assert.Equal(["before"], snapshot.Entries);
            Assert.NotEqual(victimAddress, snapshot.Silo);
            // The reactivated grain holds the stored ETag, so its next write passes the version check.
            Assert.Equal(2, await grain.AppendAsync("after", CancellationToken.None));
        }

        Assert.Equal(8L, await _postgres.QueryScalarAsync<long>("SELECT count(*) FROM orleans_grain_state WHERE version = 2"));
        const string victimRowSql = "SELECT count(*) FROM orleans_membership WHERE port = @port AND generation = @generation AND status = 6";
        (string, object)[] victimRow = [("port", victimAddress.Endpoint.Port), ("generation", victimAddress.Generation)];
        Assert.Equal(1L, await _postgres.QueryScalarAsync<long>(victimRowSql, victimRow));

        // Defunct-silo cleanup deletes the dead row only if it still holds exactly the values the silo read back.
        var membershipTable = Cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IMembershipTable>();
        await membershipTable.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.Equal(0L, await _postgres.QueryScalarAsync<long>(victimRowSql, victimRow));
        Assert.Equal(2L, await _postgres.QueryScalarAsync<long>("SELECT count(*) FROM orleans_membership WHERE status = 3"));
    }

    private async Task WaitUntilDeclaredDeadAsync(SiloHandle observer, SiloAddress silo)
    {
        var membership = Cluster.GetSiloServiceProvider(observer.SiloAddress).GetRequiredService<IClusterMembershipService>();
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
        {
            if (snapshot.GetSiloStatus(silo) == SiloStatus.Dead)
            {
                return;
            }
        }
    }

    // The client may still hold a connection to, or a cached activation on, the dead silo: the first call can be
    // rejected. Each rejection fixes the client's view, so a few immediate retries suffice.
    private static async Task<T> CallThroughFailoverAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (attempt < 5 && exception is SiloUnavailableException or OrleansMessageRejectionException)
            {
            }
        }
    }
}
