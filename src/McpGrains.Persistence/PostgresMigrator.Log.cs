using Microsoft.Extensions.Logging;

namespace McpGrains.Persistence;

public sealed partial class PostgresMigrator
{
    [LoggerMessage(EventId = PersistenceLogEvents.MigrationLockWaiting, Level = LogLevel.Information,
        Message = "Another process is migrating the database; waiting for its lock")]
    private static partial void LogLockWaiting(ILogger logger);

    [LoggerMessage(EventId = PersistenceLogEvents.MigrationApplied, Level = LogLevel.Information,
        Message = "Applied migration {Migration} (checksum {Checksum})")]
    private static partial void LogMigrationApplied(ILogger logger, string migration, string checksum);

    [LoggerMessage(EventId = PersistenceLogEvents.MigrationsUpToDate, Level = LogLevel.Information,
        Message = "Database schema is up to date at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);
}
