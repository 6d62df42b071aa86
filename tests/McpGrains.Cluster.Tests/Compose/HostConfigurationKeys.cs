using System.Collections;
using System.Reflection;
using McpGrains.Configuration;
using McpGrains.Host;
using McpGrains.Host.Telemetry;
using McpGrains.Persistence;
using Orleans.Configuration;

namespace McpGrains.Cluster.Tests.Compose;

/// <summary>
/// The configuration keys the host really reads, derived from its option types (the way the configuration binder
/// walks them: case-insensitive property names, any key under a dictionary, an index under a list), so that a key
/// in compose.yaml that nothing binds is caught.
/// </summary>
public static class HostConfigurationKeys
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        ($"{ClusterHostOptions.SectionName}:Membership", typeof(ClusterMembershipOptions)),
        (ClusterHostOptions.SectionName, typeof(ClusterHostOptions)),
        (LocalSiloOptions.SectionName, typeof(LocalSiloOptions)),
        (PostgresOptions.SectionName, typeof(PostgresOptions)),
        (TelemetryOptions.SectionName, typeof(TelemetryOptions)),
        (LoggingFormatOptions.SectionName, typeof(LoggingFormatOptions)),
        (McpGrainsOptions.SectionName, typeof(McpGrainsOptions)),
    ];

    /// <summary>An environment variable name (<c>McpGrains__Security__Keys__k1</c>) as a configuration key.</summary>
    public static string FromEnvironmentVariable(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>True when <paramref name="key"/> (colon-separated) is bound by the host to a settable value.</summary>
    public static bool IsKnown(string key)
    {
        if (string.Equals(key, HostRoles.ConfigurationKey, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var (section, options) in Sections)
        {
            if (key.Length > section.Length + 1
                && key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)
                && Binds(options, key[(section.Length + 1)..].Split(':')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Binds(Type type, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return IsLeaf(type);
        }

        if (GenericArgument(type, typeof(IDictionary<,>), 1) is { } valueType)
        {
            return Binds(valueType, path[1..]);
        }

        if (type != typeof(string) && GenericArgument(type, typeof(IList<>), 0) is { } itemType)
        {
            return int.TryParse(path[0], out var index) && index >= 0 && Binds(itemType, path[1..]);
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
        {
            return false;
        }

        // A leaf must be settable; a section may also be a get-only object the binder fills.
        return path.Length == 1 && IsLeaf(property.PropertyType) ? property.CanWrite : Binds(property.PropertyType, path[1..]);
    }

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(TimeSpan)
            || underlying == typeof(decimal) || underlying == typeof(Uri) || underlying == typeof(DateTimeOffset);
    }

    private static Type? GenericArgument(Type type, Type openInterface, int index)
    {
        if (!typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var match = type.IsGenericType && type.GetGenericTypeDefinition() == openInterface
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface);
        return match?.GetGenericArguments()[index];
    }
}
