using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace McpGrains.Configuration;

/// <summary>
/// Checks configuration keys against the types they bind to, walking them as <c>ConfigurationBinder</c> does, and names
/// every key the binder would fail on or silently drop: a key no type has, a value that does not convert, a list or a
/// section where a single value belongs, a single value where a list or a section belongs. The binder swallows any
/// failure inside a dictionary entry and drops the whole entry, so without this check one bad value under
/// <c>McpGrains:Servers:&lt;id&gt;</c> would make that server vanish without a word.
/// </summary>
public static class ConfigurationShape
{
    /// <summary>Every problem under <paramref name="rootPath"/>, each naming its full key.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, string rootPath, IReadOnlyCollection<BoundConfigurationSection> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        var problems = new List<string>();
        Walk(configuration.GetSection(rootPath), TypesBoundAt(rootPath, sections), sections, problems);
        return problems;
    }

    private static void Walk(IConfigurationSection section, IReadOnlyList<Type> types, IReadOnlyCollection<BoundConfigurationSection> sections, List<string> problems)
    {
        var children = section.GetChildren().ToList();
        var containers = new List<Type>();
        foreach (var type in types)
        {
            if (CheckValue(section, children.Count > 0, type, problems))
            {
                containers.Add(type);
            }
        }

        if (containers.Count == 0 && types.Count > 0)
        {
            // Only single values belong here: the problem is reported once, at this key.
            return;
        }

        foreach (var child in children)
        {
            var childTypes = containers.Select(type => ChildType(type, child.Key)).OfType<Type>().Concat(TypesBoundAt(child.Path, sections)).ToList();
            if (childTypes.Count == 0 && !sections.Any(s => s.Path.StartsWith(child.Path + ":", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{child.Path} is not a setting McpGrains knows; check its spelling and where it sits.");
                continue;
            }

            Walk(child, childTypes, sections, problems);
        }
    }

    /// <summary>Checks the section's own value against <paramref name="type"/>; true when keys below it may follow.</summary>
    private static bool CheckValue(IConfigurationSection section, bool hasChildren, Type type, List<string> problems)
    {
        var container = IsContainer(type);
        if (IsConvertible(type))
        {
            if (hasChildren && !container)
            {
                // The binder would take the value and ignore the keys below it, or fail without one.
                problems.Add($"{section.Path} must be a single value, not a list or a section.");
            }
            else if (section.Value is not null)
            {
                try
                {
                    section.Get(type);
                }
                catch (InvalidOperationException)
                {
                    // The binder's message quotes the value; a misplaced secret must not reach the log.
                    problems.Add($"{section.Path} must be {Describe(type)}.");
                }
            }

            return container;
        }

        if (!string.IsNullOrEmpty(section.Value))
        {
            problems.Add(DictionaryValueType(type) is not null
                ? $"{section.Path} must be a section of named entries ({section.Path}:<name>...), not a single value."
                : ElementType(type) is not null
                    ? $"{section.Path} must be a list ({section.Path}:0, {section.Path}:1, ... or a JSON array), not a single value."
                    : $"{section.Path} must be a section ({section.Path}:<setting>...), not a single value.");
        }

        return true;
    }

    /// <summary>The type a child key binds to, or null when <paramref name="type"/> has no such key.</summary>
    private static Type? ChildType(Type type, string key)
    {
        if (DictionaryValueType(type) is { } valueType)
        {
            return valueType;
        }

        if (ElementType(type) is { } elementType)
        {
            return elementType;
        }

        if (IsConvertible(type))
        {
            return null;
        }

        var property = FindProperty(type, key);

        // A get-only property is bound into only when it holds an object; a get-only value cannot be set at all.
        return property is null || (property.SetMethod?.IsPublic != true && IsConvertible(property.PropertyType)) ? null : property.PropertyType;
    }

    private static PropertyInfo? FindProperty(Type type, string key)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var property in current.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
                if (property.GetIndexParameters().Length == 0 && string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
                {
                    return property;
                }
            }
        }

        return null;
    }

    /// <summary>The binder's test for a single value: a type converter from string (string, numbers, enums, TimeSpan, Uri...).</summary>
    private static bool IsConvertible(Type type) =>
        type != typeof(object) && TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

    private static bool IsContainer(Type type) =>
        DictionaryValueType(type) is not null || ElementType(type) is not null;

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary ? dictionary.GetGenericArguments()[1]
        : GenericInterface(type, typeof(IReadOnlyDictionary<,>)) is { } readOnly ? readOnly.GetGenericArguments()[1]
        : null;

    private static Type? ElementType(Type type) =>
        type == typeof(string) || DictionaryValueType(type) is not null ? null
        : type.IsArray ? type.GetElementType()
        : GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? GenericInterface(Type type, Type open)
    {
        if (!typeof(IEnumerable).IsAssignableFrom(type) && !(type.IsInterface && type.IsGenericType))
        {
            return null;
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() == open
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == open);
    }

    private static IReadOnlyList<Type> TypesBoundAt(string path, IReadOnlyCollection<BoundConfigurationSection> sections) =>
        sections.Where(s => string.Equals(s.Path, path, StringComparison.OrdinalIgnoreCase)).Select(s => s.Type).Distinct().ToList();

    private static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(bool) => "true or false",
            _ when underlying == typeof(TimeSpan) => "a duration such as 00:00:30",
            _ when underlying == typeof(Uri) => "a URL",
            _ when underlying.IsEnum => $"one of {string.Join(", ", Enum.GetNames(underlying))}",
            _ when underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short) => "a whole number",
            _ when underlying == typeof(double) || underlying == typeof(decimal) || underlying == typeof(float) => "a number",
            _ => $"a {underlying.Name} value",
        };
    }
}
