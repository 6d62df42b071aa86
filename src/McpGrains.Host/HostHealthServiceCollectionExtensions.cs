using McpGrains.Persistence;

namespace McpGrains.Host;

public static class HostHealthServiceCollectionExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>Readiness checks: the cluster answers, and PostgreSQL when it is the store.</summary>
    public static IServiceCollection AddMcpGrainsHostHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);
        var postgres = configuration[$"{PostgresOptions.SectionName}:ConnectionString"];
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            checks.AddCheck("postgresql", new PostgresHealthCheck(postgres), tags: [ReadyTag]);
        }

        return services;
    }
}
