using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace McpGrains.Persistence;

/// <summary>
/// Applies the embedded schema migrations to a PostgreSQL database: pending ones in version order, each in its own
/// transaction, under a session advisory lock so that several processes starting at once apply each migration once.
/// An applied migration whose checksum no longer matches stops the run before anything is applied.
/// </summary>
public sealed partial class PostgresMigrator
{
    // Any fixed 64-bit value works; every McpGrains process must use the same one ("McpGrain" in ASCII).
    private const long AdvisoryLockId = 0x4D63_7047_7261_696E;
    private const int MinimumServerMajorVersion = 15;

    private readonly ILogger<PostgresMigrator> _logger;
    private readonly IReadOnlyList<SchemaMigration> _migrations;

    public PostgresMigrator(ILogger<PostgresMigrator> logger)
        : this(logger, SchemaMigrations.All)
    {
    }

    /// <summary>Uses <paramref name="migrations"/> instead of the embedded ones (tests, tools).</summary>
    public PostgresMigrator(ILogger<PostgresMigrator> logger, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(migrations);
        _logger = logger;
        _migrations = [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>Applies pending migrations and returns the names of those applied by this call (empty when up to date).</summary>
    /// <exception cref="SchemaMigrationException">The schema history does not match this build's migrations.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Not pooled: a session advisory lock must end with this session, even if the unlock below never runs.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        if (connection.PostgreSqlVersion.Major < MinimumServerMajorVersion)
        {
            throw new SchemaMigrationException(
                $"PostgreSQL {connection.PostgreSqlVersion} is too old: McpGrains needs {MinimumServerMajorVersion} or later.");
        }

        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            return await ApplyPendingAsync(connection, builder, cancellationToken);
        }
        finally
        {
            // A broken session has already dropped the lock; unlocking it would only hide the original error.
            if (connection.FullState == ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@id)", connection);
                unlock.Parameters.AddWithValue("id", AdvisoryLockId);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@id)", connection);
        tryLock.Parameters.AddWithValue("id", AdvisoryLockId);
        if (await tryLock.ExecuteScalarAsync(cancellationToken) is true)
        {
            return;
        }

        LogLockWaiting(_logger);
        await using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock(@id)", connection) { CommandTimeout = 0 };
        waitLock.Parameters.AddWithValue("id", AdvisoryLockId);
        await waitLock.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ApplyPendingAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        var step = "the schema_migrations table";
        try
        {
            return await ApplyPendingCoreAsync(connection, name => step = name, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new SchemaMigrationException(DescribeMissingPrivilege(target, step, ex), ex);
        }
    }

    /// <summary>
    /// What the role lacks, and the grant that gives it (a role without CREATE on schema public is the usual case on
    /// PostgreSQL 15 and later, which grant it only to the database owner). Names the role and database, never the password.
    /// </summary>
    private static string DescribeMissingPrivilege(NpgsqlConnectionStringBuilder target, string step, PostgresException ex)
    {
        var role = target.Username ?? "(the connecting role)";
        var database = target.Database ?? role;
        var fix = ex.MessageText.Contains("must be owner", StringComparison.OrdinalIgnoreCase)
            ? $"These objects were created by another role: run migrate as the role that owns them (or, as a superuser, make \"{role}\" their owner)."
            : $"As a superuser or the database owner, run in database \"{database}\": GRANT CREATE, USAGE ON SCHEMA public TO \"{role}\"; "
                + $"(or make the role own the database: ALTER DATABASE \"{database}\" OWNER TO \"{role}\";).";
        return $"The database role \"{role}\" lacks a privilege migrate needs (creating {step} in database \"{database}\"): {ex.MessageText} (SQLSTATE {ex.SqlState}). "
            + "migrate needs CONNECT on the database and CREATE and USAGE on schema public, and must own the McpGrains tables and functions once they exist. "
            + fix;
    }

    private async Task<IReadOnlyList<string>> ApplyPendingCoreAsync(NpgsqlConnection connection, Action<string> stepping, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations
            (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await ReadAppliedAsync(connection, cancellationToken);
        VerifyHistory(applied);

        var appliedNow = new List<string>();
        foreach (var migration in _migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            stepping("migration " + migration.Name);
            await ApplyAsync(connection, migration, cancellationToken);
            LogMigrationApplied(_logger, migration.Name, migration.Checksum);
            appliedNow.Add(migration.Name);
        }

        if (appliedNow.Count == 0)
        {
            LogUpToDate(_logger, _migrations.Count == 0 ? 0 : _migrations[^1].Version);
        }

        return appliedNow;
    }

    private static async Task<Dictionary<int, AppliedMigration>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, AppliedMigration>();
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), new AppliedMigration(reader.GetString(1), reader.GetString(2)));
        }

        return applied;
    }

    private void VerifyHistory(Dictionary<int, AppliedMigration> applied)
    {
        var known = _migrations.ToDictionary(m => m.Version);
        foreach (var (version, record) in applied.OrderBy(pair => pair.Key))
        {
            if (!known.TryGetValue(version, out var migration))
            {
                throw new SchemaMigrationException(
                    $"The database has migration {version} ('{record.Name}'), which this build does not know: " +
                    "it was migrated by a newer McpGrains. Run that version, or restore a matching database.");
            }

            if (!string.Equals(migration.Checksum, record.Checksum, StringComparison.Ordinal))
            {
                throw new SchemaMigrationException(
                    $"Migration {version} ('{migration.Name}') was applied with checksum {record.Checksum}, but this build " +
                    $"ships checksum {migration.Checksum}. Applied migrations must never be edited: add a new migration instead.");
            }
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
        {
            await script.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)",
            connection,
            transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record AppliedMigration(string Name, string Checksum);
}
