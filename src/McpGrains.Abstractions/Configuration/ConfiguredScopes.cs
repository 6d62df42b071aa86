using System.ComponentModel;

namespace McpGrains.Configuration;

/// <summary>
/// Scopes as configured, in either shape: one string separated by spaces or commas (<c>"Scopes": "a b"</c>,
/// <c>Scopes=a,b</c>) or a list (<c>"Scopes": ["a", "b"]</c>, <c>Scopes__0=a</c>). The configuration binder reads the
/// string through <see cref="ConfiguredScopesConverter"/> and the list as a collection.
/// </summary>
[TypeConverter(typeof(ConfiguredScopesConverter))]
public sealed class ConfiguredScopes : List<string>
{
    /// <summary>Each scope once, whichever shape and separators were used.</summary>
    public IReadOnlyList<string> Normalize() =>
        this.SelectMany(entry => entry.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    public override string ToString() => string.Join(' ', Normalize());
}
