using McpGrains.Configuration;
using McpGrains.Gateway.Callback;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using McpGrains.Gateway.SignIn;
using McpGrains.Security;
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
        ILoggerFactory loggerFactory)
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
            return BrowserPages.InvalidLink();
        }

        if (state.ExpiresAt < timeProvider.GetUtcNow())
        {
            logger.CallbackStateExpired(key.Format(), state.ExpiresAt);
            return BrowserPages.ExpiredLink();
        }

        var callback = new AuthorizationCallback(key, state.FlowId, code, issuer, error, errorDescription, bindingCookie.Read(context, state));
        var result = await grains.GetGrain<IMcpSessionGrain>(key.Format()).CompleteAuthorizationAsync(callback, context.RequestAborted);
        logger.CallbackCompleted(key.Format(), result.Succeeded, result.Error?.Code);
        if (result.Error?.Code != SessionErrorCodes.BrowserMismatch)
        {
            // The flow is over (or was never this browser's): its cookie has nothing left to prove.
            bindingCookie.Delete(context, state);
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
        return result.Succeeded
            ? BrowserPages.Connected(settings.ServerDisplayName(result.ServerId), settings.HostAppDisplayName(key.TenantId))
            : BrowserPages.NotConnected(result.Error);
    }

    private static bool TrySingle(StringValues values, out string? value)
    {
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }
}
