namespace McpGrains.Persistence;

/// <summary>Stable event ids of the persistence log messages, in one place.</summary>
internal static class PersistenceLogEvents
{
    public const int MigrationLockWaiting = 5001;
    public const int MigrationApplied = 5002;
    public const int MigrationsUpToDate = 5003;
}
