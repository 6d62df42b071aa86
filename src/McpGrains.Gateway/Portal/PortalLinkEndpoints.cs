using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Contracts;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway.Portal;

/// <summary><c>POST /api/v1/users/{userId}/portal-links</c>: a host app mints a link to one of its users' connections page.</summary>
public static class PortalLinkEndpoints
{
    public static RouteGroupBuilder MapPortalLinkEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/users/{userId}/portal-links", IssueAsync)
            .WithTags("Connections")
            .RequireRateLimiting(RateLimitPolicies.Authorizations)
            .WithName("CreatePortalLink")
            .WithSummary("A short-lived, single-use link to the user's connections page, to open in the user's browser.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<Results<Ok<PortalLinkResponse>, ProblemHttpResult>> IssueAsync(
        HostApp hostApp, string userId, PortalLinks links, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryValidateUser(userId, out var problem))
        {
            return problem;
        }

        var (url, expiresAt) = await links.IssueAsync(hostApp.TenantId, userId, cancellationToken);
        return TypedResults.Ok(new PortalLinkResponse(url, expiresAt));
    }
}
