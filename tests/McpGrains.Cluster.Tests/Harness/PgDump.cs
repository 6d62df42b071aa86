using System.Diagnostics;
using System.Globalization;
using McpGrains.Testing;
using Npgsql;

namespace McpGrains.Cluster.Tests.Harness;

/// <summary>Runs the machine's <c>pg_dump</c> against a database, as an attacker holding a backup would read it.</summary>
public static class PgDump
{
    public static async Task<string> DataOnlyAsync(string connectionString)
    {
        var tools = PostgresServer.FindToolsDirectory();
        var pgDump = tools is null ? "pg_dump" : Path.Combine(tools, "pg_dump");
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var startInfo = new ProcessStartInfo(pgDump)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])
            [
                "--data-only", "--no-owner",
                "--host", target.Host!,
                "--port", target.Port.ToString(CultureInfo.InvariantCulture),
                "--username", target.Username!,
                "--dbname", target.Database!,
            ])
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(target.Password))
        {
            startInfo.Environment["PGPASSWORD"] = target.Password;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {pgDump}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
