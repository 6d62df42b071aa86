using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    private const string OsUser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private PostgresServer(string adminConnectionString, string? binDirectory, string? dataDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
    }

    /// <summary>A connection string to the server's maintenance database, as a superuser or a user allowed to create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this process started the server (and stops it on dispose).</summary>
    public bool IsThrowaway => _dataDirectory is not null;

    /// <summary>The server shared by every test in this process, started on first use and stopped at process exit.</summary>
    public static Task<PostgresServer> GetSharedAsync() => SharedServer.Value;

    /// <summary>Starts a server of its own (or wraps <c>MCPGRAINS_TEST_POSTGRES</c>); dispose it to stop it.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(external, binDirectory: null, dataDirectory: null);
        }

        var binDirectory = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL for the tests. Either set {ConnectionStringVariable} to a connection string of a PostgreSQL 15+ " +
            "server whose user may CREATE DATABASE (e.g. 'Host=127.0.0.1;Port=5432;Username=postgres;Password=...'), or " +
            $"install the server binaries so that {BinariesRoot}/<version>/bin/initdb exists " +
            "(Debian/Ubuntu: apt-get install postgresql-15).");

        var dataDirectory = Path.Combine(Path.GetTempPath(), "mcpgrains-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var port = await InitializeAndStartAsync(binDirectory, dataDirectory, cancellationToken);
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = OsUser,
            Database = "postgres",
            Pooling = false,
        };
        return new PostgresServer(admin.ConnectionString, binDirectory, dataDirectory);
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var name = "mcpgrains_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (_gate)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Stops a throwaway server and deletes its directory; on an external server, drops the databases it created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        await RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], asPostgresUser: true, CancellationToken.None);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        // One server per test process: stop it when the process (the test host) exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static async Task<int> InitializeAndStartAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        if (IsRoot())
        {
            // initdb refuses to run as root: the server runs as the postgres OS user, which must own the directory.
            await EnsureOsUserAsync(cancellationToken);
            await RunAsync("chown", [$"{OsUser}:{OsUser}", dataDirectory], asPostgresUser: false, cancellationToken);
        }

        await RunAsync(
            Path.Combine(binDirectory, "initdb"),
            ["-D", dataDirectory, "-U", OsUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            asPostgresUser: true,
            cancellationToken);

        var port = FreeLoopbackPort();
        var serverOptions = string.Join(
            ' ',
            "-c listen_addresses=127.0.0.1",
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {dataDirectory}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300");
        await RunAsync(
            Path.Combine(binDirectory, "pg_ctl"),
            ["-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, "server.log"), "-o", serverOptions, "start"],
            asPostgresUser: true,
            cancellationToken);
        return port;
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

    private static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static async Task EnsureOsUserAsync(CancellationToken cancellationToken)
    {
        var probe = await RunAsync("id", ["-u", OsUser], asPostgresUser: false, cancellationToken, throwOnFailure: false);
        if (probe.ExitCode != 0)
        {
            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OsUser], asPostgresUser: false, cancellationToken);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        bool asPostgresUser,
        CancellationToken cancellationToken,
        bool throwOnFailure = true)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser && IsRoot())
        {
            startInfo.FileName = "runuser";
            foreach (var argument in (string[])["-u", OsUser, "--", fileName])
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var result = new ProcessResult(process.ExitCode, await output + await error);
        if (throwOnFailure && result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with {result.ExitCode}: {result.Output}");
        }

        return result;
    }

    private sealed record ProcessResult(int ExitCode, string Output);
}
