using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGrains.Configuration;

public static class McpGrainsConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Binds the options to <paramref name="sectionPath"/> (a section under <c>McpGrains:</c>), after the start-up
    /// check of the whole <c>McpGrains</c> section (<see cref="McpGrainsConfigurationCheck"/>): a key there that cannot
    /// be bound stops start-up with a message naming it. Use it instead of <c>BindConfiguration</c> for every section
    /// under <c>McpGrains:</c>, so that the check knows the section's keys. Binding the same section twice binds once.
    /// </summary>
    public static OptionsBuilder<TOptions> BindMcpGrainsConfiguration<TOptions>(this OptionsBuilder<TOptions> builder, string sectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var section = new BoundConfigurationSection(sectionPath, typeof(TOptions));
        TryDeclare(builder.Services, section);
        var binding = new SectionBinding(section, builder.Name);
        if (builder.Services.Any(descriptor => !descriptor.IsKeyedService && binding.Equals(descriptor.ImplementationInstance)))
        {
            return builder;
        }

        builder.Services.AddSingleton(binding);
        builder.Services.TryAddSingleton<McpGrainsConfigurationCheck>();
        return builder.Configure<IConfiguration, McpGrainsConfigurationCheck>((options, configuration, check) =>
        {
            check.ThrowIfInvalid(typeof(TOptions));
            configuration.GetSection(sectionPath).Bind(options);
        });
    }

    /// <summary>
    /// Declares a key or section under <c>McpGrains:</c> that is read without <see cref="BindMcpGrainsConfiguration{TOptions}"/>
    /// (a single key read directly, or a section bound only in some roles), so that the start-up check accepts it
    /// wherever it is set, checked against <paramref name="type"/>.
    /// </summary>
    public static IServiceCollection AddMcpGrainsConfigurationSection(this IServiceCollection services, string path, Type type)
    {
        ArgumentNullException.ThrowIfNull(services);
        TryDeclare(services, new BoundConfigurationSection(path, type));
        return services;
    }

    private static void TryDeclare(IServiceCollection services, BoundConfigurationSection section)
    {
        if (!services.Any(descriptor => !descriptor.IsKeyedService && section.Equals(descriptor.ImplementationInstance)))
        {
            services.AddSingleton(section);
        }
    }

    /// <summary>Marks a section as bound to its options (of that name) already.</summary>
    private sealed record SectionBinding(BoundConfigurationSection Section, string? OptionsName);
}
