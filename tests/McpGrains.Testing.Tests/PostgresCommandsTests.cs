using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace McpGrains.Testing.Tests;

/// <summary>
/// The throwaway server's start when its port is taken between being handed out and being bound: another test process
/// did exactly that in CI (FreePortsTests once held 2,000 ports of the shared range), and the whole PostgreSQL suite
/// failed on one start.
/// </summary>
public sealed class PostgresCommandsTests
{
    [Fact]
    public async Task StartOnFreePortAsync_PortTakenBeforeTheServerBindsIt_StartsOnTheNextPortAndServes()
    {
        await using var cluster = await Cluster.InitializeAsync();
        using var taken = Occupy(FreePorts.Next());
        var free = FreePorts.Next();
        var handedOut = new Queue<int>([Port(taken), free]);

        var port = await PostgresCommands.StartOnFreePortAsync(cluster.BinDirectory, cluster.DataDirectory, handedOut.Dequeue, CancellationToken.None);

        Assert.Equal(free, port);
        Assert.Empty(handedOut);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = PostgresCommands.OsUser, Database = "postgres", Pooling = false,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 41 + 1", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task StartOnFreePortAsync_EveryPortTaken_GivesUpAfterItsAttemptsWithTheServersOwnReason()
    {
        await using var cluster = await Cluster.InitializeAsync();
        using var taken = Occupy(FreePorts.Next());
        var asked = 0;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCommands.StartOnFreePortAsync(
            cluster.BinDirectory, cluster.DataDirectory, () => { asked++; return Port(taken); }, CancellationToken.None));

        Assert.Equal(PostgresCommands.StartAttempts, asked);
        Assert.Contains($"attempt {PostgresCommands.StartAttempts} of {PostgresCommands.StartAttempts}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("could not bind", failure.Message, StringComparison.Ordinal);
    }

    private static TcpListener Occupy(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>An initialized, not yet started cluster in a directory of its own; stopped (if running) and deleted on dispose.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _root;

        private Cluster(string binDirectory, string root)
        {
            BinDirectory = binDirectory;
            _root = root;
        }

        public string BinDirectory { get; }

        public string DataDirectory => Path.Combine(_root, "data");

        public static async Task<Cluster> InitializeAsync()
        {
            var binDirectory = PostgresServer.FindToolsDirectory()
                ?? throw new InvalidOperationException("These tests start PostgreSQL from the machine's binaries (apt-get install postgresql-15).");
            var root = Path.Combine(Path.GetTempPath(), "mcpgrains-pgstart-" + Guid.NewGuid().ToString("N")[..12]);
            var cluster = new Cluster(binDirectory, root);
            await PostgresCommands.InitializeAsync(binDirectory, cluster.DataDirectory, CancellationToken.None);
            return cluster;
        }

        public async ValueTask DisposeAsync()
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await PostgresCommands.StopImmediatelyAsync(BinDirectory, DataDirectory, CancellationToken.None, throwOnFailure: false);
            }

            Directory.Delete(_root, recursive: true);
        }
    }
}
