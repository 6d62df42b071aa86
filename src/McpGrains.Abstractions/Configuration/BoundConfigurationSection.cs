namespace McpGrains.Configuration;

/// <summary>
/// A configuration key or section under <c>McpGrains:</c> and the type it binds to. The start-up check
/// (<see cref="McpGrainsConfigurationCheck"/>) knows every key it accepts from these, so every section the process
/// reads must be declared: by <see cref="McpGrainsConfigurationServiceCollectionExtensions.BindMcpGrainsConfiguration{TOptions}"/>
/// or <see cref="McpGrainsConfigurationServiceCollectionExtensions.AddMcpGrainsConfigurationSection"/>.
/// </summary>
public sealed record BoundConfigurationSection(string Path, Type Type);
