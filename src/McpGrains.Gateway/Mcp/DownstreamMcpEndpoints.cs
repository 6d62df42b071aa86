using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// <c>/mcp/{serverId}</c>: a Streamable HTTP MCP server per upstream server, for host apps such as LibreChat. The host
/// app key comes in <c>Authorization: Bearer</c>, the user in the configured user id header.
/// </summary>
public static class DownstreamMcpEndpoints
{
    public const string RoutePattern = "/mcp/{" + DownstreamRequestGate.ServerIdRouteValue + "}";

    public static IServiceCollection AddDownstreamMcp(this IServiceCollection services)
    {
        services.TryAddSingleton<ProgressTokenMap>();
        services.TryAddSingleton<DownstreamSessionRegistry>();
        services.TryAddSingleton<DownstreamSessionFactory>();
        services.AddHostedService<ObserverRenewalService>();
        services.AddMcpServer()
            .WithHttpTransport(http =>
            {
                // Sessions let notifications and server requests reach initialize-handshake clients; 2026-07-28
                // clients, which have no sessions, are served per request on the same endpoint.
                http.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                http.ConfigureSessionOptions = (context, options, cancellationToken) =>
                    context.RequestServices.GetRequiredService<DownstreamSessionFactory>().ConfigureSessionAsync(context, options, cancellationToken);
#pragma warning disable MCPEXP002 // RunSessionHandler is the only hook that sees a session end.
                http.RunSessionHandler = (context, server, cancellationToken) =>
                    context.RequestServices.GetRequiredService<DownstreamSessionFactory>().RunSessionAsync(context, server, cancellationToken);
#pragma warning restore MCPEXP002
            });

        // The SDK closes the oldest idle sessions of any tenant past MaxIdleSessionCount (10,000 by default): make room
        // for every host app's cap, so that DownstreamSessionQuota refuses first and nobody's session is evicted.
#pragma warning disable MCP9006 // MaxIdleSessionCount is marked obsolete with stateful HTTP, which initialize clients still use.
        services.AddOptions<HttpServerTransportOptions>().Configure<IOptions<McpGrainsOptions>>((http, options) =>
            http.MaxIdleSessionCount = (int)Math.Clamp(
                (long)options.Value.Limits.MaxDownstreamSessionsPerHostApp * Math.Max(1, options.Value.HostApps.Count),
                http.MaxIdleSessionCount,
                int.MaxValue));
#pragma warning restore MCP9006
        return services;
    }

    public static IEndpointConventionBuilder MapDownstreamMcp(this IEndpointRouteBuilder endpoints)
    {
        var builder = endpoints.MapMcp(RoutePattern)
            .RequireAuthorization(HostAppAuthentication.PolicyName)
            .RequireRateLimiting(RateLimitPolicies.Calls)
            .ExcludeFromDescription();
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException("An MCP endpoint has no request delegate.");
            endpoint.RequestDelegate = context => DownstreamRequestGate.InvokeAsync(context, inner);
        });
        return builder;
    }
}
