using System.Data;
using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace McpGrains.Persistence.Tests;

/// <summary>
/// The stored queries a running cluster seldom or never calls, executed the way the Orleans providers do: the text from
/// orleansquery, parameters named without '@' and typed by DbType.
/// </summary>
public sealed class StoredQueryTests
{
    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesTheClustersVersionAndSiloRows()
    {
        await using var connection = await OpenMigratedDatabaseAsync();
        var now = DateTime.UtcNow;
        Assert.True(await ScalarAsync<bool>(connection, "InsertMembershipVersionKey", ("DeploymentId", "cluster-a", DbType.String)));
        Assert.False(await ScalarAsync<bool>(connection, "InsertMembershipVersionKey", ("DeploymentId", "cluster-a", DbType.String)));
        Assert.True(await ScalarAsync<bool>(connection, "InsertMembershipKey", SiloRow("cluster-a", status: 6, now, version: 0)));
        Assert.False(await ScalarAsync<bool>(connection, "InsertMembershipKey", SiloRow("cluster-a", status: 6, now, version: 0)));

        await ExecuteAsync(connection, "DeleteMembershipTableEntriesKey", ("DeploymentId", "cluster-a", DbType.String));

        Assert.Equal(0L, await CountAsync(connection, "orleans_membership_version"));
        Assert.Equal(0L, await CountAsync(connection, "orleans_membership"));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyDeadSilosSilentBeforeTheCutoff()
    {
        await using var connection = await OpenMigratedDatabaseAsync();
        var longAgo = DateTime.UtcNow.AddHours(-2);
        await ScalarAsync<bool>(connection, "InsertMembershipVersionKey", ("DeploymentId", "cluster-b", DbType.String));
        Assert.True(await ScalarAsync<bool>(connection, "InsertMembershipKey", SiloRow("cluster-b", status: 6, longAgo, version: 0, port: 1)));
        Assert.True(await ScalarAsync<bool>(connection, "InsertMembershipKey", SiloRow("cluster-b", status: 3, longAgo, version: 1, port: 2)));

        await ExecuteAsync(
            connection,
            "CleanupDefunctSiloEntriesKey",
            ("DeploymentId", "cluster-b", DbType.String),
            ("IAmAliveTime", DateTime.UtcNow.AddHours(-1), DbType.DateTime));

        Assert.Equal(1L, await CountAsync(connection, "orleans_membership"));
        Assert.Equal(3, await ScalarSqlAsync<int>(connection, "SELECT status FROM orleans_membership"));
    }

    [Fact]
    public async Task DeleteStorageAndDeleteReminderRows_RemoveOnlyWhatTheyAreAskedTo()
    {
        await using var connection = await OpenMigratedDatabaseAsync();
        (string, object?, DbType)[] grain =
        [
            ("ServiceId", "service", DbType.String), ("GrainTypeHash", 7, DbType.Int32), ("GrainTypeString", "probe", DbType.String),
            ("GrainIdHash", 11, DbType.Int32), ("GrainIdN0", 0L, DbType.Int64), ("GrainIdN1", 0L, DbType.Int64),
            ("GrainIdExtensionString", "key", DbType.String),
        ];
        Assert.Equal(1, await ScalarAsync<int>(connection, "WriteToStorageKey", [.. grain, ("GrainStateVersion", null, DbType.Int32), ("PayloadBinary", new byte[] { 1 }, DbType.Binary)]));

        Assert.Null(await ScalarAsync<int?>(connection, "DeleteStorageKey", [.. grain, ("GrainStateVersion", 2, DbType.Int32)]));
        Assert.Equal(2, await ScalarAsync<int?>(connection, "DeleteStorageKey", [.. grain, ("GrainStateVersion", 1, DbType.Int32)]));
        Assert.Equal(0L, await CountAsync(connection, "orleans_grain_state"));

        foreach (var service in (string[])["service-a", "service-b"])
        {
            await ScalarAsync<int>(
                connection,
                "UpsertReminderRowKey",
                ("ServiceId", service, DbType.String), ("GrainHash", -5, DbType.Int32), ("GrainId", "probe/key", DbType.AnsiString),
                ("ReminderName", "r", DbType.String), ("StartTime", DateTime.UtcNow, DbType.DateTime), ("Period", 60_000, DbType.Int32));
        }

        await ExecuteAsync(connection, "DeleteReminderRowsKey", ("ServiceId", "service-a", DbType.String));

        Assert.Equal("service-b", await ScalarSqlAsync<string>(connection, "SELECT service_id FROM orleans_reminder"));
    }

    private static (string, object?, DbType)[] SiloRow(string cluster, int status, DateTime time, int version, int port = 11111) =>
    [
        ("DeploymentId", cluster, DbType.String), ("Address", "10.0.0.1", DbType.AnsiString), ("Port", port, DbType.Int32),
        ("Generation", 1, DbType.Int32), ("SiloName", "silo", DbType.String), ("HostName", "host", DbType.String),
        ("Status", status, DbType.Int32), ("ProxyPort", 30000, DbType.Int32), ("StartTime", time, DbType.DateTime),
        ("IAmAliveTime", time, DbType.DateTime), ("Version", version, DbType.Int32),
    ];

    private static async Task<NpgsqlConnection> OpenMigratedDatabaseAsync()
    {
        var connectionString = await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync();
        await new PostgresMigrator(NullLogger<PostgresMigrator>.Instance).MigrateAsync(connectionString, CancellationToken.None);
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<NpgsqlCommand> StoredCommandAsync(NpgsqlConnection connection, string queryKey, (string Name, object? Value, DbType Type)[] parameters)
    {
        var text = await ScalarSqlAsync<string>(connection, $"SELECT querytext FROM orleansquery WHERE querykey = '{queryKey}'");
        var command = new NpgsqlCommand(text, connection);
        foreach (var (name, value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { ParameterName = name, Value = value ?? DBNull.Value, DbType = type });
        }

        return command;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string queryKey, params (string, object?, DbType)[] parameters)
    {
        await using var command = await StoredCommandAsync(connection, queryKey, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string queryKey, params (string, object?, DbType)[] parameters)
    {
        await using var command = await StoredCommandAsync(connection, queryKey, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<long> CountAsync(NpgsqlConnection connection, string table) =>
        ScalarSqlAsync<long>(connection, $"SELECT count(*) FROM {table}");

    private static async Task<T> ScalarSqlAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
