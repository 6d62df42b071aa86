using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGrains.Persistence.Tests;

/// <summary>
/// The database privileges the README's production section lists: migrate names what a role lacks and how to grant it;
/// the running roles need no more than the runtime grants.
/// </summary>
public sealed class MigrationPrivilegeTests
{
    [Fact]
    public async Task MigrateAsync_RoleWithoutCreateOnSchemaPublic_NamesWhatIsMissing_AndTheGrantItNamesIsEnough()
    {
        var database = await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync();
        await using var role = await PostgresRole.CreateAsync(database);
        var grant = $"GRANT CREATE, USAGE ON SCHEMA public TO \"{role.Name}\"";

        var error = await Assert.ThrowsAsync<SchemaMigrationException>(() => NewMigrator().MigrateAsync(role.ConnectionString, CancellationToken.None));

        Assert.Contains(role.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("permission denied for schema public", error.Message, StringComparison.Ordinal);
        Assert.Contains("42501", error.Message, StringComparison.Ordinal);
        Assert.Contains(grant, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);

        await role.ExecuteAsAdministratorAsync(grant);
        var applied = await NewMigrator().MigrateAsync(role.ConnectionString, CancellationToken.None);

        Assert.Equal(SchemaMigrations.All.Select(m => m.Name), applied);
    }

    [Fact]
    public async Task Cluster_RunsAsARoleWithOnlyTheRuntimeGrants()
    {
        PostgresRole? role = null;
        try
        {
            await using (var postgres = await PostgresTestCluster.StartAsync(silos: 1, async database =>
            {
                role = await PostgresRole.CreateAsync(database);
                foreach (var grant in RuntimeGrants(role.Name, new Npgsql.NpgsqlConnectionStringBuilder(database).Database!))
                {
                    await role.ExecuteAsAdministratorAsync(grant);
                }

                return role.ConnectionString;
            }))
            {
                // Membership (the client found its gateway), grain state and reminders, all as the runtime role.
                var key = "runtime-role-" + Guid.NewGuid().ToString("N");
                var grain = postgres.Cluster.Client.GetGrain<IPersistenceProbeGrain>(key);
                var ticked = ReminderTicks.WaitForTickAsync(key);
                Assert.Equal(1, await grain.AppendAsync("hello", CancellationToken.None));
                Assert.Equal(2, await grain.AppendAsync("again", CancellationToken.None));
                await grain.ScheduleReminderAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
                await ticked.WaitAsync(TimeSpan.FromSeconds(30));
                await grain.CancelReminderAsync(CancellationToken.None);
            }

            // And the role really is limited: it may not create anything.
            await using var connection = new Npgsql.NpgsqlConnection(role!.ConnectionString);
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE runtime_role_probe (id integer)", connection);
            var denied = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => create.ExecuteNonQueryAsync());
            Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
        finally
        {
            if (role is not null)
            {
                await role.DisposeAsync();
            }
        }
    }

    /// <summary>The grants of README.md, "Database privileges", for the roles silos and front ends run as.</summary>
    private static string[] RuntimeGrants(string role, string database) =>
    [
        $"GRANT CONNECT ON DATABASE \"{database}\" TO \"{role}\"",
        $"GRANT USAGE ON SCHEMA public TO \"{role}\"",
        $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\"",
        $"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO \"{role}\"",
    ];

    private static PostgresMigrator NewMigrator() => new(NullLogger<PostgresMigrator>.Instance);
}
