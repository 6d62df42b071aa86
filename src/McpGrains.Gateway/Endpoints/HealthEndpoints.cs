using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway.Endpoints;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the checks tagged "ready" pass (cluster, storage).</summary>
public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealthEndpoints(this RouteGroupBuilder group)
    {
        // Liveness runs no checks: it must not fail because a dependency is down.
        group.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous();
        group.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .AllowAnonymous();
        return group;
    }
}
