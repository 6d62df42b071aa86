using System.Diagnostics;
using System.Globalization;

namespace McpGrains.Testing;

/// <summary>
/// The command-line side of a throwaway PostgreSQL server (initdb, pg_ctl), run as the <c>postgres</c> OS user when the
/// tests run as root, since initdb refuses to run as root.
/// </summary>
internal static class PostgresCommands
{
    public const string OsUser = "postgres";

    /// <summary>How many ports a start tries before it gives up, when each one was taken before the server bound it.</summary>
    public const int StartAttempts = 5;

    private const string LogFile = "server.log";

    public static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>Creates the cluster in <paramref name="dataDirectory"/> and starts it on a free loopback port; returns the port.</summary>
    public static async Task<int> InitializeAndStartAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        await InitializeAsync(binDirectory, dataDirectory, cancellationToken);
        return await StartOnFreePortAsync(binDirectory, dataDirectory, FreePorts.Next, cancellationToken);
    }

    public static async Task InitializeAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        if (IsRoot())
        {
            await EnsureOsUserAsync(cancellationToken);
            await RunAsync("chown", [$"{OsUser}:{OsUser}", dataDirectory], asPostgresUser: false, cancellationToken);
        }

        await RunAsync(
            Path.Combine(binDirectory, "initdb"),
            ["-D", dataDirectory, "-U", OsUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            asPostgresUser: true,
            cancellationToken);
    }

    /// <summary>
    /// Starts the cluster on a port from <paramref name="nextPort"/>. A port handed out a moment ago is not reserved: a
    /// process outside this one's bookkeeping (another test process, any outgoing connection) can bind it before the
    /// server does, which then exits at once ("could not bind"). Such a start is tried again on another port, up to
    /// <see cref="StartAttempts"/> times; any other failure, or the last one, throws with the server's own log.
    /// </summary>
    public static async Task<int> StartOnFreePortAsync(string binDirectory, string dataDirectory, Func<int> nextPort, CancellationToken cancellationToken)
    {
        var logPath = Path.Combine(dataDirectory, LogFile);
        for (var attempt = 1; ; attempt++)
        {
            var port = nextPort();
            var logStart = File.Exists(logPath) ? new FileInfo(logPath).Length : 0;
            var result = await StartServerProcessAsync(binDirectory, dataDirectory, port, cancellationToken, throwOnFailure: false);
            if (result.ExitCode == 0)
            {
                return port;
            }

            var serverLog = await ReadFromAsync(logPath, logStart, cancellationToken);
            if (attempt < StartAttempts && serverLog.Contains("could not bind", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start on port {port} (attempt {attempt} of {StartAttempts}): {result.Output}{Environment.NewLine}" +
                $"{LogFile}:{Environment.NewLine}{serverLog}");
        }
    }

    public static Task<ProcessResult> StartServerProcessAsync(
        string binDirectory, string dataDirectory, int port, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var serverOptions = string.Join(
            ' ',
            "-c listen_addresses=127.0.0.1",
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {dataDirectory}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300");
        return RunAsync(
            Path.Combine(binDirectory, "pg_ctl"),
            ["-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, LogFile), "-o", serverOptions, "start"],
            asPostgresUser: true,
            cancellationToken,
            throwOnFailure);
    }

    /// <summary>Stops the server without a shutdown checkpoint (<c>pg_ctl -m immediate</c>, as a crash would).</summary>
    public static Task<ProcessResult> StopImmediatelyAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken, bool throwOnFailure = true) =>
        RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], asPostgresUser: true, cancellationToken, throwOnFailure);

    public static async Task<ProcessResult> RunAsync(
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

    private static async Task EnsureOsUserAsync(CancellationToken cancellationToken)
    {
        var probe = await RunAsync("id", ["-u", OsUser], asPostgresUser: false, cancellationToken, throwOnFailure: false);
        if (probe.ExitCode != 0)
        {
            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OsUser], asPostgresUser: false, cancellationToken);
        }
    }

    // What the server wrote to its log since offset: the lines of the attempt that just failed.
    private static async Task<string> ReadFromAsync(string path, long offset, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return "(no log written)";
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>A command's exit code and its standard output and error together.</summary>
    public sealed record ProcessResult(int ExitCode, string Output);
}
