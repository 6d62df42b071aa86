using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace McpGrains.Testing;

/// <summary>
/// A PostgreSQL server for tests: the one named by <c>MCPGRAINS_TEST_POSTGRES</c> (a connection string whose user may
/// create databases), or else a throwaway server started from the machine's PostgreSQL binaries (initdb + pg_ctl on a
/// free loopback port, socket and data under a temporary directory, fsync off). Each test takes a fresh database from
/// <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionStringVariable = "MCPGRAINS_TEST_POSTGRES";

    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string DirectoryPrefix = "mcpgrains-pg-";
    private const string OwnerFile = "owner.pid";
    private const string DatabaseOwnerPrefix = "mcpgrains-test owner=";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);

    // The directory holding owner.pid (the test process that started the server) and data/ (the cluster).
    private readonly string? _rootDirectory;
    private readonly string? _binDirectory;
    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private PostgresServer(string adminConnectionString, string? binDirectory, string? rootDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
    }

    /// <summary>A connection string to the server's maintenance database, as a superuser or a user allowed to create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this process started the server (and stops it on dispose).</summary>
    public bool IsThrowaway => _rootDirectory is not null;

    /// <summary>The server shared by every test in this process, started on first use and stopped at process exit.</summary>
    public static Task<PostgresServer> GetSharedAsync() => SharedServer.Value;

    /// <summary>Starts a server of its own (or wraps <c>MCPGRAINS_TEST_POSTGRES</c>); dispose it to stop it.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            await DropOrphanDatabasesAsync(external, cancellationToken);
            return new PostgresServer(external, binDirectory: null, rootDirectory: null);
        }

        var binDirectory = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL for the tests. Either set {ConnectionStringVariable} to a connection string of a PostgreSQL 15+ " +
            "server whose user may CREATE DATABASE (e.g. 'Host=127.0.0.1;Port=5432;Username=postgres;Password=...'), or " +
            $"install the server binaries so that {BinariesRoot}/<version>/bin/initdb exists " +
            "(Debian/Ubuntu: apt-get install postgresql-15).");

        await RemoveOrphansAsync(binDirectory, cancellationToken);
        var rootDirectory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(rootDirectory);
        await File.WriteAllTextAsync(
            Path.Combine(rootDirectory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var port = await PostgresCommands.InitializeAndStartAsync(binDirectory, Path.Combine(rootDirectory, "data"), cancellationToken);
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = PostgresCommands.OsUser,
            Database = "postgres",
            Pooling = false,
        };
        return new PostgresServer(admin.ConnectionString, binDirectory, rootDirectory);
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = "mcpgrains_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            // Marks the owner, so that a later run can drop the databases of a test process that did not clean up.
            await using var comment = new NpgsqlCommand($"COMMENT ON DATABASE \"{name}\" IS '{OwnerTag()}'", connection);
            await comment.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (_gate)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// Outage tests: stops a throwaway server abruptly (<c>pg_ctl -m immediate</c>, as a crash would), keeping its data;
    /// <see cref="StartAgainAsync"/> brings it back on the same port. Not available on an external server.
    /// </summary>
    public async Task StopImmediatelyAsync(CancellationToken cancellationToken = default)
    {
        var (binDirectory, dataDirectory) = RequireThrowaway();
        await PostgresCommands.StopImmediatelyAsync(binDirectory, dataDirectory, cancellationToken);
    }

    /// <summary>Starts a server stopped by <see cref="StopImmediatelyAsync"/> again, on the same port (crash recovery included).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var (binDirectory, dataDirectory) = RequireThrowaway();
        var port = new NpgsqlConnectionStringBuilder(AdminConnectionString).Port;
        await PostgresCommands.StartServerProcessAsync(binDirectory, dataDirectory, port, cancellationToken);
    }

    private (string BinDirectory, string DataDirectory) RequireThrowaway()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_rootDirectory is null || _binDirectory is null)
        {
            throw new InvalidOperationException($"Only a throwaway server (not {ConnectionStringVariable}) can be stopped and started by a test.");
        }

        return (_binDirectory, Path.Combine(_rootDirectory, "data"));
    }

    /// <summary>The directory of the server's client tools (pg_dump, psql), when this machine has them.</summary>
    public static string? FindToolsDirectory() => FindBinaries();

    /// <summary>Stops a throwaway server and deletes its directory; on an external server, drops the databases it created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (_rootDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        await StopAndDeleteAsync(_binDirectory!, _rootDirectory, CancellationToken.None);
    }

    // The data is thrown away, so the server stops without a shutdown checkpoint ("immediate").
    private static async Task StopAndDeleteAsync(string binDirectory, string rootDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(rootDirectory, "data");
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await PostgresCommands.StopImmediatelyAsync(binDirectory, dataDirectory, cancellationToken, throwOnFailure: false);
        }

        Directory.Delete(rootDirectory, recursive: true);
    }

    // A test host that was killed (or cut short while exiting) leaves its server and directory behind: the next
    // start stops and removes those whose owner process is gone.
    private static async Task RemoveOrphansAsync(string binDirectory, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var ownerFile = Path.Combine(directory, OwnerFile);
            var orphaned = File.Exists(ownerFile)
                ? !IsProcessAlive(await File.ReadAllTextAsync(ownerFile, cancellationToken))
                : Directory.GetCreationTimeUtc(directory) < DateTime.UtcNow.AddHours(-1);
            if (!orphaned)
            {
                continue;
            }

            try
            {
                await StopAndDeleteAsync(binDirectory, directory, cancellationToken);
            }
            catch (IOException)
            {
                // Another test process is cleaning the same directory up.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's directory: leave it.
            }
        }
    }

    private static string OwnerTag() =>
        $"{DatabaseOwnerPrefix}{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    private static async Task DropOrphanDatabasesAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var orphans = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname LIKE 'mcpgrains\\_test\\_%'",
            connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            var hostPrefix = DatabaseOwnerPrefix + Environment.MachineName + ":";
            while (await reader.ReadAsync(cancellationToken))
            {
                var owner = reader.IsDBNull(1) ? null : reader.GetString(1);
                if (owner is not null && owner.StartsWith(hostPrefix, StringComparison.Ordinal) && !IsProcessAlive(owner[hostPrefix.Length..]))
                {
                    orphans.Add(reader.GetString(0));
                }
            }
        }

        foreach (var database in orphans)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsProcessAlive(string processId)
    {
        if (!int.TryParse(processId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        // One server per test process, stopped when the process (the test host) exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAtProcessExit();
        return server;
    }

    // The test host is killed soon after its exit handlers start, too soon to delete a data directory: a detached
    // shell stops the server and deletes the directory after this process is gone.
    private void StopAtProcessExit()
    {
        if (_rootDirectory is null)
        {
            // ProcessExit handlers are synchronous: blocking here is the only way to stop an external server in time.
            DisposeAsync().AsTask().GetAwaiter().GetResult();
            return;
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var stop = PostgresCommands.IsRoot() ? $"runuser -u {PostgresCommands.OsUser} -- \"$0\"" : "\"$0\"";
        var startInfo = new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])
            [
                "-c",
                $"( {stop} -D \"$1\" -m immediate -w stop; rm -rf \"$2\" ) </dev/null >/dev/null 2>&1 &",
                Path.Combine(_binDirectory!, "pg_ctl"),
                Path.Combine(_rootDirectory, "data"),
                _rootDirectory,
            ])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var shell = Process.Start(startInfo);
        shell?.WaitForExit();
    }

    private async Task DropCreatedDatabasesAsync()
    {
        string[] databases;
        lock (_gate)
        {
            databases = [.. _createdDatabases];
        }

        if (databases.Length == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var database in databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string? FindBinaries()
    {
        if (!Directory.Exists(BinariesRoot))
        {
            return null;
        }

        // The newest installed major version that has the server tools.
        return Directory.GetDirectories(BinariesRoot)
            .Select(directory => (Directory: directory, Major: int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0))
            .Where(candidate => candidate.Major >= 15 && File.Exists(Path.Combine(candidate.Directory, "bin", "initdb")))
            .OrderByDescending(candidate => candidate.Major)
            .Select(candidate => Path.Combine(candidate.Directory, "bin"))
            .FirstOrDefault();
    }
}
