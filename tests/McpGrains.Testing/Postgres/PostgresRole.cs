using Npgsql;

namespace McpGrains.Testing;

/// <summary>
/// A login role of its own for privilege tests, holding nothing but what PUBLIC has: CONNECT on databases and USAGE on
/// schema public (PostgreSQL 15 and later grant CREATE there only to the database owner). Disposing it drops what it
/// owns in the database and the role.
/// </summary>
public sealed class PostgresRole : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresRole(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The same database, as this role (with its password, which trust authentication ignores).</summary>
    public string ConnectionString { get; }

    /// <param name="databaseConnectionString">A database of <see cref="PostgresServer.CreateDatabaseAsync"/>, as its administrator.</param>
    public static async Task<PostgresRole> CreateAsync(string databaseConnectionString, CancellationToken cancellationToken = default)
    {
        var name = "mcpgrains_role_" + Guid.NewGuid().ToString("N")[..12];
        var password = Guid.NewGuid().ToString("N");
        var role = new PostgresRole(
            databaseConnectionString,
            name,
            new NpgsqlConnectionStringBuilder(databaseConnectionString) { Username = name, Password = password, Pooling = false }.ConnectionString);
        await role.ExecuteAsAdministratorAsync($"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'", cancellationToken);
        return role;
    }

    /// <summary>Runs <paramref name="sql"/> in the role's database as its administrator (a GRANT, for instance).</summary>
    public async Task ExecuteAsAdministratorAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsAdministratorAsync($"DROP OWNED BY \"{Name}\"");
        await ExecuteAsAdministratorAsync($"DROP ROLE IF EXISTS \"{Name}\"");
    }
}
