using McpGrains.Configuration;
using McpGrains.Gateway.Callback;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using McpGrains.Gateway.Portal;
using McpGrains.Gateway.SignIn;
using McpGrains.Security;
using McpGrains.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Orleans;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// <c>GET /oauth/callback</c>: where browsers land after authorizing. The sealed <c>state</c> names the owning session,
/// so any node can route the callback to its grain; the browser's sign-in cookie proves it is the browser that pressed
/// Continue, which the grain checks before anything else. Nothing from the query is logged or echoed.
/// </summary>
public static class OAuthCallbackEndpoints
{
    public const string CallbackPath = "/callback";

    public static RouteGroupBuilder MapOAuthCallbackEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet(CallbackPath, HandleCallbackAsync)
            .WithName("OAuthCallback")
            .AllowAnonymous()
            .ExcludeFromDescription();
        return group;
    }

    private static async Task<IResult> HandleCallbackAsync(
        HttpContext context,
        AuthorizationStateCodec stateCodec,
        BrowserBindingCookie bindingCookie,
        TimeProvider timeProvider,
        IOptions<McpGrainsOptions> options,
        ReturnUrlAllowList returnUrls,
        IGrainFactory grains,
        PortalLinks portalLinks,
        ILoggerFactory loggerFactory,
        McpGrainsMetrics metrics)
    {
        var logger = loggerFactory.CreateLogger(GatewayLog.CallbackCategory);
        var query = context.Request.Query;

        // A repeated parameter is never legitimate (RFC 6749 section 3.1): treat it like a forged state.
        if (!TrySingle(query["state"], out var stateValue) || stateValue is null
            || !TrySingle(query["code"], out var code)
            || !TrySingle(query["iss"], out var issuer)
            || !TrySingle(query["error"], out var error)
            || !TrySingle(query["error_description"], out var errorDescription)
            || !stateCodec.TryUnprotect(stateValue, out var state)
            || !McpSessionKey.TryParse(state!.SessionKey, out var key))
        {
            logger.CallbackStateInvalid();
            metrics.Callback(null, null, SessionErrorCodes.InvalidState);
            return BrowserPages.InvalidLink();
        }

        if (state.ExpiresAt < timeProvider.GetUtcNow())
        {
            logger.CallbackStateExpired(key.Format(), state.ExpiresAt);
            metrics.Callback(key.TenantId, key.ServerId, SessionErrorCodes.AuthorizationExpired);
            return BrowserPages.ExpiredLink();
        }

        var callback = new AuthorizationCallback(key, state.FlowId, code, issuer, error, errorDescription, bindingCookie.Read(context, state));
        var result = await grains.SessionGrain(key).CompleteAuthorizationAsync(callback, context.RequestAborted);
        logger.CallbackCompleted(key.Format(), result.Succeeded, result.Error?.Code);
        metrics.Callback(key.TenantId, key.ServerId, result.Succeeded ? "connected" : result.Error?.Code ?? "error");
        if (result.Error?.Code != SessionErrorCodes.BrowserMismatch)
        {
            // The flow is over (or was never this browser's): its cookie has nothing left to prove.
            bindingCookie.Delete(context, state);
        }

        if (result.VerificationFlowId is { } verificationFlow)
        {
            logger.CallbackAwaitsVerification(key.Format());
            return VerificationRedirect.To(options.Value, key, verificationFlow, context.Response);
        }

        if (result.ReturnUrl is not null)
        {
            // Allow-listed at authorize time; checked again in case the list has shrunk since, and redirected to in
            // its normalized form only.
            if (returnUrls.TryNormalize(result.ReturnUrl, out var returnUrl))
            {
                CallbackResponseHeaders.Apply(context.Response);
                return TypedResults.Redirect(ReturnUrlRedirect.Build(returnUrl, result));
            }

            logger.CallbackReturnUrlRejected(key.Format());
        }

        var settings = options.Value;
        if (!result.Succeeded)
        {
            return BrowserPages.NotConnected(result.Error);
        }

        // The browser that finished this user's sign-in may go on to the user's connections page, when the host app
        // offers it: a fresh single-use link, as the host app would mint.
        var connectionsPage = settings.HostApps.GetValueOrDefault(key.TenantId)?.ConnectionsPage == true
            ? (await portalLinks.IssueAsync(key.TenantId, key.UserId, context.RequestAborted)).Url
            : null;
        return BrowserPages.Connected(settings.ServerDisplayName(result.ServerId), settings.HostAppDisplayName(key.TenantId), connectionsPage);
    }

    private static bool TrySingle(StringValues values, out string? value)
    {
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }
}
