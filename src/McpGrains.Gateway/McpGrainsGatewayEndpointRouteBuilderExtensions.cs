using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Mcp;
using McpGrains.Gateway.Portal;
using McpGrains.Gateway.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway;

public static class McpGrainsGatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the REST API (<c>/api/v1</c>, host app key required), the downstream MCP endpoint (<c>/mcp/{serverId}</c>, host app key
    /// and user header required), the sign-in links' confirmation page (<c>/oauth/start/{ticket}</c>), the connections page (<c>/oauth/portal</c>), the OAuth callback
    /// (<c>/oauth/callback</c>), health
    /// (<c>/health/live</c>) and the OpenAPI document (<c>/openapi/v1.json</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapMcpGrainsGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1")
            .RequireAuthorization(HostAppAuthentication.PolicyName)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]))
            .MapServerEndpoints()
            .MapConnectionEndpoints()
            .MapAuthorizationConfirmationEndpoints()
            .MapUserEndpoints()
            .MapUpstreamEndpoints()
            .MapPortalLinkEndpoints();

        endpoints.MapDownstreamMcp();
        endpoints.MapGroup("/oauth").MapOAuthCallbackEndpoints().MapSignInEndpoints().MapPortalEndpoints().MapClientMetadataEndpoints();
        endpoints.MapGroup("/health").MapHealthEndpoints();
        endpoints.MapOpenApi();
        return endpoints;
    }
}
