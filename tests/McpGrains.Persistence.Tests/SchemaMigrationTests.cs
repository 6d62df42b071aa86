using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace McpGrains.Persistence.Tests;

public sealed class SchemaMigrationTests
{
    // Every query key Orleans 10.4.2's ADO.NET clustering, persistence and reminder providers look up.
    private static readonly string[] ProviderQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryMigrationInOrderAndInstallsEveryProviderQuery()
    {
        var connectionString = await CreateDatabaseAsync();

        var applied = await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);

        Assert.Equal(SchemaMigrations.All.Select(m => m.Name), applied);
        Assert.Equal(["001_orleans_clustering", "002_orleans_persistence", "003_orleans_reminders", "004_mcpgrains"], applied);
        var keys = await ReadColumnAsync<string>(connectionString, "SELECT querykey FROM orleansquery");
        Assert.Equal(ProviderQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        var history = await ReadColumnAsync<string>(connectionString, "SELECT checksum FROM schema_migrations ORDER BY version");
        Assert.Equal(SchemaMigrations.All.Select(m => m.Checksum), history);
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_AppliesNothingAndSucceeds()
    {
        var connectionString = await CreateDatabaseAsync();
        await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);

        var applied = await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal(SchemaMigrations.All.Count, (await ReadColumnAsync<int>(connectionString, "SELECT version FROM schema_migrations")).Count);
    }

    [Fact]
    public async Task Scripts_RunAgainOnMigratedDatabase_SucceedWithoutDuplicates()
    {
        var connectionString = await CreateDatabaseAsync();
        await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var migration in SchemaMigrations.All)
            {
                await using var command = new NpgsqlCommand(migration.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        var keys = await ReadColumnAsync<string>(connectionString, "SELECT querykey FROM orleansquery");
        Assert.Equal(ProviderQueryKeys.Length, keys.Count);
    }

    [Fact]
    public async Task MigrateAsync_AppliedMigrationEdited_RefusesAndAppliesNothingNew()
    {
        var connectionString = await CreateDatabaseAsync();
        await NewMigrator().MigrateAsync(connectionString, CancellationToken.None);
        var original = SchemaMigrations.All[1];
        List<SchemaMigration> edited =
        [
            .. SchemaMigrations.All.Select(m => m.Version == original.Version
                ? new SchemaMigration(m.Version, m.Name, m.Sql + "\n-- edited after release\n")
                : m),
            new SchemaMigration(99, "099_never_applied", "CREATE TABLE never_applied (id integer);"),
        ];

        var error = await Assert.ThrowsAsync<SchemaMigrationException>(
            () => new PostgresMigrator(NullLogger<PostgresMigrator>.Instance, edited).MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains(original.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadColumnAsync<string>(connectionString, "SELECT relname::text FROM pg_class WHERE relname = 'never_applied'"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseMigratedByNewerBuild_Refuses()
    {
        var connectionString = await CreateDatabaseAsync();
        List<SchemaMigration> newer = [.. SchemaMigrations.All, new SchemaMigration(99, "099_from_the_future", "SELECT 1;")];
        await new PostgresMigrator(NullLogger<PostgresMigrator>.Instance, newer).MigrateAsync(connectionString, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SchemaMigrationException>(
            () => NewMigrator().MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains("099_from_the_future", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_ManyProcessesAtOnce_ApplyEachMigrationExactlyOnce()
    {
        var connectionString = await CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(
            _ => Task.Run(() => NewMigrator().MigrateAsync(connectionString, CancellationToken.None))));

        Assert.Equal(
            SchemaMigrations.All.Select(m => m.Name).Order(StringComparer.Ordinal),
            runs.SelectMany(names => names).Order(StringComparer.Ordinal));
        Assert.Equal(SchemaMigrations.All.Count, (await ReadColumnAsync<int>(connectionString, "SELECT version FROM schema_migrations")).Count);
    }

    private static PostgresMigrator NewMigrator() => new(NullLogger<PostgresMigrator>.Instance);

    private static async Task<string> CreateDatabaseAsync() =>
        await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync();

    private static async Task<List<T>> ReadColumnAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
