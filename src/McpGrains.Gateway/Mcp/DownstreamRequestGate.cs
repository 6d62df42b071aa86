using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Runs before the SDK on every request to <c>/mcp/{serverId}</c> (after host app authentication): checks the user
/// header and the server, and binds the request to its session key. The key becomes the principal's name identifier,
/// which the SDK compares on every later request of a session, so a session cannot change user, server or host app.
/// </summary>
internal static class DownstreamRequestGate
{
    public const string ServerIdRouteValue = "serverId";
    private static readonly object SessionKeyItem = new();
    private static readonly object UserLabelItem = new();

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!TryResolve(context, out var key, out var userLabel, out var problem))
        {
            await problem.ExecuteAsync(context);
            return;
        }

        context.Items[SessionKeyItem] = key;
        context.Items[UserLabelItem] = userLabel;
        // The SDK reads the claim from the authenticated (primary) identity.
        var authenticated = context.User.Identity as ClaimsIdentity;
        var identity = new ClaimsIdentity(
            [.. context.User.Claims, new Claim(ClaimTypes.NameIdentifier, key.Format())],
            authenticated?.AuthenticationType,
            authenticated?.NameClaimType,
            authenticated?.RoleClaimType);
        context.User = new ClaimsPrincipal(identity);
        await next(context);
    }

    /// <summary>The label the host app gave the user on this request (header <c>X-User-Label</c>), if any.</summary>
    public static string? GetUserLabel(HttpContext context) => context.Items.TryGetValue(UserLabelItem, out var value) ? value as string : null;

    /// <summary>The key the gate bound the request to; every request reaching the SDK has one.</summary>
    public static McpSessionKey GetSessionKey(HttpContext context) =>
        context.Items.TryGetValue(SessionKeyItem, out var value) && value is McpSessionKey key
            ? key
            : throw new InvalidOperationException("The MCP endpoint was mapped without DownstreamRequestGate.");

    private static bool TryResolve(HttpContext context, out McpSessionKey key, out string? userLabel, [NotNullWhen(false)] out IResult? problem)
    {
        key = default;
        userLabel = null;
        var options = context.RequestServices.GetRequiredService<IOptions<McpGrainsOptions>>().Value;
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
            || !UserLabelHeader.TryRead(context.Request, options, out userLabel, out resolveProblem))
        {
            problem = resolveProblem;
            return false;
        }

        problem = null;
        return true;
    }
}
