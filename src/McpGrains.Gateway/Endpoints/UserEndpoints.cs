using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Logging;
using McpGrains.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Endpoints;

/// <summary><c>/api/v1/users/{userId}</c>: the user as a whole, within the caller's tenant (account deletion).</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder group)
    {
        group.MapDelete("/users/{userId}", ForgetUserAsync)
            .WithTags("Users")
            .WithName("ForgetUser")
            .WithSummary("Forgets the user on every configured server: revokes tokens where offered, destroys the data keys, deletes the state.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    /// <summary>
    /// Each configured server's session of the user is forgotten (in parallel; each one on its own is all or nothing).
    /// Safe to repeat: a user with nothing stored gets the same 204. A failure (a storage outage) answers an error and
    /// the call can be repeated until it succeeds; nothing is left half-forgotten in any one session.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetUserAsync(
        HostApp hostApp,
        string userId,
        IOptions<McpGrainsOptions> options,
        IGrainFactory grains,
        McpGrainsMetrics metrics,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryValidateUser(userId, out var problem))
        {
            return problem;
        }

        var servers = options.Value.Servers.Keys.Order(StringComparer.Ordinal).ToList();
        await Task.WhenAll(servers.Select(serverId =>
            grains.SessionGrain(new McpSessionKey(hostApp.TenantId, userId, serverId)).ForgetAsync(cancellationToken)));
        metrics.UserForgotten(hostApp.TenantId);

        // Not the user id: the log line of a deletion should not be what keeps the deleted id around.
        loggerFactory.CreateLogger(GatewayLog.ApiCategory).UserForgotten(hostApp.TenantId, servers.Count);
        return TypedResults.NoContent();
    }
}
