using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace McpGrains.Configuration;

/// <summary>
/// The start-up check of everything under <c>McpGrains:</c> against every section the process declared
/// (<see cref="BoundConfigurationSection"/>): run once, before the first of those sections is bound, so that a key that
/// cannot be bound stops start-up with every such key named instead of being dropped or half-bound.
/// </summary>
public sealed class McpGrainsConfigurationCheck
{
    private readonly Lazy<IReadOnlyList<string>> _problems;

    public McpGrainsConfigurationCheck(IConfiguration configuration, IEnumerable<BoundConfigurationSection> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        var declared = sections.Distinct().ToArray();
        _problems = new Lazy<IReadOnlyList<string>>(() => ConfigurationShape.Check(configuration, McpGrainsOptions.SectionName, declared));
    }

    /// <summary>Every key under <c>McpGrains:</c> that cannot be bound, with why.</summary>
    public IReadOnlyList<string> Problems => _problems.Value;

    /// <summary>Stops start-up (as options validation does) when any key cannot be bound.</summary>
    public void ThrowIfInvalid(Type optionsType)
    {
        if (Problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, optionsType, Problems);
        }
    }
}
