using McpGrains.Configuration;
using McpGrains.Gateway.Callback;
using McpGrains.Gateway.Logging;
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
/// so any node can route the callback to its grain. Nothing from the query is logged or echoed.
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
            return CallbackPage.Invalid();
        }

        if (state.ExpiresAt < timeProvider.GetUtcNow())
        {
            logger.CallbackStateExpired(key.Format(), state.ExpiresAt);
            return CallbackPage.Expired();
        }

        var callback = new AuthorizationCallback(key, state.FlowId, code, issuer, error, errorDescription);
        var result = await grains.GetGrain<IMcpSessionGrain>(key.Format()).CompleteAuthorizationAsync(callback, context.RequestAborted);
        logger.CallbackCompleted(key.Format(), result.Succeeded, result.Error?.Code);

        if (result.ReturnUrl is not null)
        {
            // Allow-listed at authorize time; checked again in case the list has shrunk since.
            if (returnUrls.IsAllowed(result.ReturnUrl))
            {
                CallbackResponseHeaders.Apply(context.Response);
                return TypedResults.Redirect(ReturnUrlRedirect.Build(result.ReturnUrl, result));
            }

            logger.CallbackReturnUrlRejected(key.Format());
        }

        return result.Succeeded
            ? CallbackPage.Connected(DisplayName(options.Value, result.ServerId))
            : CallbackPage.NotConnected(result.Error?.Message ?? "the authorization did not complete.");
    }

    private static string DisplayName(McpGrainsOptions options, string serverId) =>
        options.Servers.TryGetValue(serverId, out var server) && !string.IsNullOrWhiteSpace(server.DisplayName)
            ? server.DisplayName
            : serverId;

    private static bool TrySingle(StringValues values, out string? value)
    {
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }
}
