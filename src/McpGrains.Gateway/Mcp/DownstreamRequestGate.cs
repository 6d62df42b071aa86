using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Limits;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Runs before the SDK on every request to <c>/mcp/{serverId}</c> (after host app authentication): checks the user
/// header and the server, and binds the request to its session key. The key becomes the principal's name identifier,
/// which the SDK compares on every later request of a session, so a session cannot change user, server or host app.
/// A request that may open a session first takes a place in the <see cref="DownstreamSessionQuota"/>.
/// </summary>
internal static class DownstreamRequestGate
{
    public const string ServerIdRouteValue = "serverId";
    private const string SessionIdHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";
    private const string FirstSessionlessRevision = "2026-07-28";
    private static readonly object SessionKeyItem = new();
    private static readonly object UserLabelItem = new();
    private static readonly object UserIdentityItem = new();
    private static readonly object IdentityAssertionItem = new();
    private static readonly object SessionLeaseItem = new();

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!TryResolve(context, out var key, out var userLabel, out var userIdentity, out var problem))
        {
            await problem.ExecuteAsync(context);
            return;
        }

        context.Items[SessionKeyItem] = key;
        context.Items[UserLabelItem] = userLabel;
        context.Items[UserIdentityItem] = userIdentity;
        context.Items[IdentityAssertionItem] = IdentityAssertionInput.ReadHeader(context.Request, context.RequestServices.GetRequiredService<IOptions<McpGrainsOptions>>().Value, key.TenantId);
        // The SDK reads the claim from the authenticated (primary) identity.
        var authenticated = context.User.Identity as ClaimsIdentity;
        var identity = new ClaimsIdentity(
            [.. context.User.Claims, new Claim(ClaimTypes.NameIdentifier, key.Format())],
            authenticated?.AuthenticationType,
            authenticated?.NameClaimType,
            authenticated?.RoleClaimType);
        context.User = new ClaimsPrincipal(identity);
        if (!MayOpenSession(context.Request))
        {
            await next(context);
            return;
        }

        var lease = context.RequestServices.GetRequiredService<DownstreamSessionQuota>().TryReserve(key, out var refusal);
        if (lease is null)
        {
            RefuseSession(context, key, refusal);
            await GatewayProblems.SessionLimitReached(refusal.LimitKey, refusal.Limit).ExecuteAsync(context);
            return;
        }

        context.Items[SessionLeaseItem] = lease;
        try
        {
            await next(context);
        }
        finally
        {
            if (!lease.IsClaimed)
            {
                // The request created no session (not an initialize, refused by the SDK, failed).
                lease.Release();
            }
        }
    }

    /// <summary>
    /// The place taken for the session this request opens, for the session to claim (once, at its start); null when the
    /// request opens none.
    /// </summary>
    public static DownstreamSessionLease? TakeSessionLease(HttpContext context)
    {
        if (context.Items.TryGetValue(SessionLeaseItem, out var value) && value is DownstreamSessionLease lease)
        {
            context.Items.Remove(SessionLeaseItem);
            lease.Claim();
            return lease;
        }

        return null;
    }

    /// <summary>
    /// A POST without a session id that is not of a sessionless revision: an initialize (or a request the SDK refuses
    /// for want of a session). Every other request joins an existing session or has none.
    /// </summary>
    private static bool MayOpenSession(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && string.IsNullOrEmpty(request.Headers[SessionIdHeader])
        && string.CompareOrdinal(request.Headers[ProtocolVersionHeader].ToString(), FirstSessionlessRevision) < 0;

    private static void RefuseSession(HttpContext context, McpSessionKey key, (string LimitKey, int Limit) refusal)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<RejectionLogGate>().ShouldLog(refusal.LimitKey, key.TenantId + "/" + key.UserId, TimeSpan.FromMinutes(1)))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LimitsLog.Category)
                .DownstreamSessionLimitReached(key.UserId, key.TenantId, refusal.LimitKey, refusal.Limit);
        }
    }

    /// <summary>The label the host app gave the user on this request (header <c>X-User-Label</c>), if any.</summary>
    public static string? GetUserLabel(HttpContext context) => context.Items.TryGetValue(UserLabelItem, out var value) ? value as string : null;

    /// <summary>The identity the host app named for the user on this request (binding mode oidc), if any.</summary>
    public static string? GetUserIdentity(HttpContext context) => context.Items.TryGetValue(UserIdentityItem, out var value) ? value as string : null;
    /// <summary>The user's identity assertion from the host app's configured header (enterprise-managed authorization), or null.</summary>
    public static string? GetIdentityAssertion(HttpContext context) => context.Items.TryGetValue(IdentityAssertionItem, out var value) ? value as string : null;

    /// <summary>The key the gate bound the request to; every request reaching the SDK has one.</summary>
    public static McpSessionKey GetSessionKey(HttpContext context) =>
        context.Items.TryGetValue(SessionKeyItem, out var value) && value is McpSessionKey key
            ? key
            : throw new InvalidOperationException("The MCP endpoint was mapped without DownstreamRequestGate.");

    private static bool TryResolve(HttpContext context, out McpSessionKey key, out string? userLabel, out string? userIdentity, [NotNullWhen(false)] out IResult? problem)
    {
        key = default;
        userLabel = null;
        userIdentity = null;
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
            || !UserLabelHeader.TryRead(context.Request, options, out userLabel, out resolveProblem)
            || !UserIdentity.TryReadHeader(context.Request, options, hostApp.TenantId, out userIdentity, out resolveProblem))
        {
            problem = resolveProblem;
            return false;
        }

        problem = null;
        return true;
    }
}
