using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpGrains.Telemetry;

public static class McpGrainsMetricsServiceCollectionExtensions
{
    /// <summary>McpGrains' instruments (<see cref="McpGrainsMetrics"/>), once per service provider.</summary>
    public static IServiceCollection AddMcpGrainsMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<McpGrainsMetrics>();
        return services;
    }
}
