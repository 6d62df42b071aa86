using McpGrains.Gateway.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        return services;
    }

    public static IEndpointConventionBuilder MapDownstreamMcp(this IEndpointRouteBuilder endpoints)
    {
        var builder = endpoints.MapMcp(RoutePattern)
            .RequireAuthorization(HostAppAuthentication.PolicyName)
            .ExcludeFromDescription();
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException("An MCP endpoint has no request delegate.");
            endpoint.RequestDelegate = context => DownstreamRequestGate.InvokeAsync(context, inner);
        });
        return builder;
    }
}
