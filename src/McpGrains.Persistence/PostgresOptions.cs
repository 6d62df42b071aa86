namespace McpGrains.Persistence;

/// <summary><c>McpGrains:Postgres</c>: when a connection string is set, the host clusters, stores grain state and
/// keeps reminders in PostgreSQL instead of in memory.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "McpGrains:Postgres";

    /// <summary>The ADO.NET provider invariant the Orleans providers load; McpGrains supports only Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>An Npgsql connection string; empty means "no PostgreSQL".</summary>
    public string? ConnectionString { get; set; }

    public string Invariant { get; set; } = NpgsqlInvariant;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    // The connection string carries a password: never print it.
    public override string ToString() => $"PostgresOptions {{ Configured = {IsConfigured}, Invariant = {Invariant} }}";
}
