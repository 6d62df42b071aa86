using McpGrains.Configuration;
using McpGrains.Gateway.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Endpoints;

/// <summary><c>/api/v1/servers</c>: the configured upstream servers.</summary>
public static class ServerEndpoints
{
    public static RouteGroupBuilder MapServerEndpoints(this RouteGroupBuilder group)
    {
        var servers = group.MapGroup("/servers").WithTags("Servers");
        servers.MapGet("", ListServers)
            .WithName("ListServers")
            .WithSummary("Lists the configured upstream MCP servers, ordered by id.");
        return group;
    }

    private static Ok<ServerListResponse> ListServers(IOptions<McpGrainsOptions> options) =>
        TypedResults.Ok(new ServerListResponse(options.Value.Servers
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new ServerResponse(pair.Key, pair.Value.Url!, pair.Value.Transport, pair.Value.DisplayName ?? pair.Key))
            .ToArray()));
}
