using System.Diagnostics.CodeAnalysis;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Runs first on every request to <c>/mcp/{serverId}</c> (after host app authentication): the browser origin (DNS
/// rebinding protection), the user header and the server, which make the request's session key, the user label header
/// (the account a sign-in link's confirmation page names) and, for a host app in binding mode oidc, the identity header
/// (required), and the identity assertion header of the host app's identity provider, if any. A session is bound to the
/// key it was created with; every later request is checked against it.
/// </summary>
internal static class McpRequestGate
{
    public const string ServerIdRouteValue = "serverId";

    public static bool TryResolve(HttpContext context, McpGrainsOptions options, OriginPolicy origins, out McpSessionKey key, out UserSubject subject, [NotNullWhen(false)] out IResult? problem)
    {
        key = default;
        subject = default;
        if (!origins.Allows(context.Request))
        {
            problem = GatewayProblems.OriginNotAllowed();
            return false;
        }

        var hostApp = HostApp.FromPrincipal(context.User)
            ?? throw new InvalidOperationException("The MCP endpoint must require the host app policy.");
        var userHeader = context.Request.Headers[options.UserIdHeader];
        if (userHeader.Count != 1 || string.IsNullOrEmpty(userHeader[0]))
        {
            problem = GatewayProblems.MissingUserHeader(options.UserIdHeader);
            return false;
        }

        var serverId = context.GetRouteValue(ServerIdRouteValue) as string ?? "";
        if (!SessionKeyResolver.TryResolve(hostApp, userHeader[0]!, serverId, options, out key, out var resolveProblem)
            || !UserLabelHeader.TryRead(context.Request, options, out var label, out resolveProblem)
            || !UserIdentity.TryReadHeader(context.Request, options, hostApp.TenantId, out var identity, out resolveProblem))
        {
            problem = resolveProblem;
            return false;
        }

        subject = new UserSubject(label, identity, IdentityAssertionInput.ReadHeader(context.Request, options, hostApp.TenantId));

        problem = null;
        return true;
    }
}
