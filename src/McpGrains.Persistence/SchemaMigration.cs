using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Persistence;

/// <summary>One versioned SQL script from infra/postgres, e.g. <c>002_orleans_persistence.sql</c>.</summary>
public sealed record SchemaMigration
{
    public SchemaMigration(int version, string name, string sql)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sql);
        Version = version;
        Name = name;
        Sql = sql;
        // Line endings are normalised so a checkout with CRLF does not look like an edited migration.
        Checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
    }

    public int Version { get; }

    /// <summary>The file name without extension, e.g. <c>002_orleans_persistence</c>.</summary>
    public string Name { get; }

    public string Sql { get; }

    /// <summary>Lower-case hex SHA-256 of the script.</summary>
    public string Checksum { get; }

    public override string ToString() => Name;
}
