using McpGrains.Cluster.Tests.Harness;
using McpGrains.Testing;
using Npgsql;

namespace McpGrains.Cluster.Tests;

/// <summary>The host's <c>migrate</c> command as an operator (or compose's migrate service) runs it.</summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_OnEmptyDatabaseThenAgain_ExitsZeroBothTimes()
    {
        var postgres = await PostgresServer.GetSharedAsync();
        var database = await postgres.CreateDatabaseAsync();

        var first = await ClusterHarness.RunMigrateAsync(database);
        var second = await ClusterHarness.RunMigrateAsync(database);

        Assert.True(first.ExitCode == 0, $"first migrate exited with {first.ExitCode}:\n{first.Output}");
        Assert.True(second.ExitCode == 0, $"second migrate exited with {second.ExitCode}:\n{second.Output}");
        Assert.Contains("applied", first.Output, StringComparison.Ordinal);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 15, "the Orleans providers' named queries are missing");
    }

    [Fact]
    public async Task Migrate_AsARoleWithoutCreateOnSchemaPublic_PrintsWhatIsMissingAndHowToGrantIt()
    {
        var database = await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync();
        await using var role = await PostgresRole.CreateAsync(database);

        var (exitCode, output) = await ClusterHarness.RunMigrateAsync(role.ConnectionString);

        Assert.True(exitCode == 1, $"migrate exited with {exitCode}:\n{output}");
        Assert.Contains("permission denied for schema public", output, StringComparison.Ordinal);
        Assert.Contains($"GRANT CREATE, USAGE ON SCHEMA public TO \"{role.Name}\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(role.ConnectionString).Password!, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithoutConnectionString_FailsWithAClearMessage()
    {
        await using var migrate = HostProcess.Start("migrate", new Dictionary<string, string>(), ["migrate"]);

        var exitCode = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("McpGrains__Postgres__ConnectionString", migrate.Output, StringComparison.Ordinal);
    }
}
