using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;

namespace McpGrains.Persistence.Tests;

/// <summary>A TestCluster whose silos cluster, persist and keep reminders in a fresh, migrated PostgreSQL database.</summary>
public sealed class PostgresTestCluster : IAsyncDisposable
{
    public const string StorageName = "mcpgrains-test";
    public const string ConnectionStringKey = "McpGrainsTests:PostgresConnectionString";

    private PostgresTestCluster(TestCluster cluster, string connectionString)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
    }

    public TestCluster Cluster { get; }

    public string ConnectionString { get; }

    /// <param name="connectAs">
    /// Given the migrated database (as its administrator), the connection string the silos and the client use instead
    /// (a role with fewer privileges); <see cref="ConnectionString"/> stays the administrator's.
    /// </param>
    public static async Task<PostgresTestCluster> StartAsync(short silos = 2, Func<string, Task<string>>? connectAs = null)
    {
        var server = await PostgresServer.GetSharedAsync();
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresMigrator(NullLogger<PostgresMigrator>.Instance).MigrateAsync(connectionString, CancellationToken.None);

        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = connectAs is null ? connectionString : await connectAs(connectionString);
        builder.AddSiloBuilderConfigurator<PostgresSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresTestCluster(cluster, connectionString);
    }

    /// <summary>Runs a scalar query against the cluster's database (for checking what the providers wrote).</summary>
    public async Task<T> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    // The database is thrown away, so the silos are killed rather than shut down gracefully: it saves seconds a test.
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopClusterClientAsync();
        foreach (var silo in Cluster.Silos.ToArray())
        {
            await Cluster.KillSiloAsync(silo);
        }

        await Cluster.DisposeAsync();
    }
}
