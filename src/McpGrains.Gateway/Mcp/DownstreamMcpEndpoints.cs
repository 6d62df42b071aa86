using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// <c>/mcp/{serverId}</c>: McpGrains' own Streamable HTTP MCP endpoint in front of each upstream server, for host apps
/// such as LibreChat. The host app key comes in <c>Authorization: Bearer</c>, the user in the configured user id
/// header. Any front end serves any request of any downstream session: what a session needs lives in the cluster.
/// </summary>
public static class DownstreamMcpEndpoints
{
    public const string RoutePattern = "/mcp/{" + McpRequestGate.ServerIdRouteValue + "}";

    public static IServiceCollection AddDownstreamMcp(this IServiceCollection services)
    {
        services.TryAddSingleton<DownstreamEndpoint>();
        services.TryAddSingleton<DownstreamSessions>();
        services.TryAddSingleton<ServerDescriptions>();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<McpPrompts>();
        services.TryAddSingleton<McpCallForwarder>();
        services.TryAddSingleton<McpListenHandler>();
        services.TryAddSingleton<McpStatelessHandler>();
        services.TryAddSingleton<McpPostHandler>();
        services.TryAddSingleton<McpStreamHandler>();
        services.AddHostedService<DownstreamSessionSweep>();
        services.AddHostedService<ToolNameCheck>();
        return services;
    }

    public static IEndpointConventionBuilder MapDownstreamMcp(this IEndpointRouteBuilder endpoints)
    {
        var post = endpoints.ServiceProvider.GetRequiredService<McpPostHandler>();
        var stream = endpoints.ServiceProvider.GetRequiredService<McpStreamHandler>();
        var group = endpoints.MapGroup(RoutePattern)
            .RequireAuthorization(HostAppAuthentication.PolicyName)
            .RequireRateLimiting(RateLimitPolicies.Calls)
            .ExcludeFromDescription();
        group.MapMethods("", [HttpMethods.Post], post.HandleAsync);
        group.MapMethods("", [HttpMethods.Get], stream.GetAsync);
        group.MapMethods("", [HttpMethods.Delete], stream.DeleteAsync);
        return group;
    }
}
