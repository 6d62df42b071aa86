using McpGrains.Configuration;
using McpGrains.Persistence;

namespace McpGrains.Host;

/// <summary><c>McpGrains.Host migrate</c>: applies the PostgreSQL schema (idempotent, versioned) and exits.</summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(MigrateCommand));
        var problems = ConfigurationShape.Check(configuration, PostgresOptions.SectionName, [new BoundConfigurationSection(PostgresOptions.SectionName, typeof(PostgresOptions))]);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"migrate: {problem}");
        }

        if (problems.Count > 0)
        {
            return 2;
        }

        var connectionString = configuration[$"{PostgresOptions.SectionName}:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync($"migrate: {PostgresOptions.SectionName}:ConnectionString is not set (e.g. environment variable McpGrains__Postgres__ConnectionString).");
            return 2;
        }

        try
        {
            var applied = await new PostgresMigrator(loggerFactory.CreateLogger<PostgresMigrator>()).MigrateAsync(connectionString, cancellationToken);
            await Console.Out.WriteLineAsync(applied.Count == 0
                ? "migrate: the schema is up to date."
                : $"migrate: applied {string.Join(", ", applied)}.");
            return 0;
        }
        catch (Exception ex) when (ex is SchemaMigrationException or Npgsql.NpgsqlException)
        {
            logger.LogError("migrate failed: {Reason}", ex.Message);
            await Console.Error.WriteLineAsync($"migrate: {ex.Message}");
            return 1;
        }
    }
}
