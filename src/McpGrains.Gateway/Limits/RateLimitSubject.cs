using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway.Limits;

/// <summary>
/// Who a request counts against: its authenticated host app and, when it names a well-formed one, its user (the
/// <c>{userId}</c> route value of REST, the user id header of <c>/mcp</c>). Read before the endpoint validates
/// anything, so an id that the endpoint will refuse is not counted per user.
/// </summary>
internal static class RateLimitSubject
{
    public const string UserIdRouteValue = "userId";

    public static string? HostApp(HttpContext context) => Authentication.HostApp.FromPrincipal(context.User)?.TenantId;

    public static (string HostApp, string UserId)? User(HttpContext context, McpGrainsOptions options)
    {
        if (HostApp(context) is not { } hostApp)
        {
            return null;
        }

        var userId = context.GetRouteValue(UserIdRouteValue) as string;
        if (userId is null)
        {
            var header = context.Request.Headers[options.UserIdHeader];
            userId = header.Count == 1 ? header[0] : null;
        }

        return Identifiers.IsValidUserId(userId) ? (hostApp, userId!) : null;
    }
}
