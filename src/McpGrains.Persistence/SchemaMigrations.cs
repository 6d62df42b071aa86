using System.Globalization;
using System.Reflection;

namespace McpGrains.Persistence;

/// <summary>The migrations embedded in this assembly, ordered by version.</summary>
public static class SchemaMigrations
{
    private const string ResourcePrefix = "McpGrains.Persistence.Migrations.";

    private static readonly Lazy<IReadOnlyList<SchemaMigration>> Embedded = new(Load);

    public static IReadOnlyList<SchemaMigration> All => Embedded.Value;

    private static IReadOnlyList<SchemaMigration> Load()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^".sql".Length];
            migrations.Add(new SchemaMigration(ParseVersion(name), name, Read(assembly, resource)));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations '{migrations[i - 1].Name}' and '{migrations[i].Name}' share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    private static int ParseVersion(string name)
    {
        var separator = name.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0
            || !int.TryParse(name.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || version <= 0)
        {
            throw new InvalidOperationException(
                $"Migration '{name}' must be named '<version>_<description>.sql' with a positive version, e.g. '005_sessions.sql'.");
        }

        return version;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
