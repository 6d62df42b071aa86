using System.Diagnostics.CodeAnalysis;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>Turns route values into a typed session key, or into the problem that explains why not.</summary>
internal static class SessionKeyResolver
{
    /// <summary>Checks the user id and that the server id is well formed and configured; the tenant is the caller's host app.</summary>
    public static bool TryResolve(
        HostApp hostApp,
        string userId,
        string serverId,
        McpGrainsOptions options,
        out McpSessionKey key,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        key = default;
        if (!TryValidateUser(userId, out problem))
        {
            return false;
        }

        if (!Identifiers.IsValidServerId(serverId))
        {
            problem = GatewayProblems.InvalidServerId();
            return false;
        }

        if (!options.Servers.ContainsKey(serverId))
        {
            problem = GatewayProblems.UnknownServer(serverId);
            return false;
        }

        key = new McpSessionKey(hostApp.TenantId, userId, serverId);
        return true;
    }

    public static bool TryValidateUser(string userId, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = !Identifiers.IsValidUserId(userId) ? GatewayProblems.InvalidUserId()
            : UserIdPlaceholder.IsUnresolved(userId) ? GatewayProblems.UnresolvedUserPlaceholder()
            : null;
        return problem is null;
    }
}
