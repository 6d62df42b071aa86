using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Builder;

namespace McpGrains.Gateway;

public static class McpGrainsGatewayApplicationBuilderExtensions
{
    /// <summary>
    /// The gateway's middleware, before its endpoints (<c>MapMcpGrainsGateway</c>): the request body limit (413) and
    /// the rate limiter (429) of <c>McpGrains:Limits</c>. Without it the endpoints work unlimited.
    /// </summary>
    public static IApplicationBuilder UseMcpGrainsGateway(this IApplicationBuilder app)
    {
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        return app;
    }
}
