using McpGrains.Configuration;
using McpGrains.Gateway.Callback;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using McpGrains.Gateway.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Gateway.Portal;

/// <summary>
/// The connections page. <c>GET /oauth/portal/{link}</c> opens a link once: the link's grain binds it to this browser
/// (it keeps the hash of a secret the browser then holds in its connections-page cookie) and the browser goes on to
/// <c>GET /oauth/portal</c>, the page, which works in that browser until the page session ends. <c>POST /oauth/portal</c>
/// is its forms (anti-forgery checked): Connect starts the normal sign-in (the browser goes to the sign-in link's
/// confirmation page), Disconnect revokes upstream and forgets the connection. Every step asks the cluster, never
/// the front end's memory, so any node serves any step.
/// </summary>
public static class PortalEndpoints
{
    public const string PagePath = "/portal";

    public static RouteGroupBuilder MapPortalEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet(PagePath + "/{**link}", OpenAsync).WithName("PortalLink").AllowAnonymous().ExcludeFromDescription();
        group.MapGet(PagePath, ShowAsync).WithName("PortalPage").AllowAnonymous().ExcludeFromDescription();
        group.MapPost(PagePath, SubmitAsync).WithName("PortalSubmit").AllowAnonymous().ExcludeFromDescription();
        return group;
    }

    private static async Task<IResult> OpenAsync(HttpContext context, string? link, [FromServices] PortalServices services)
    {
        if (!services.Codec.TryUnprotect(link, out var reference)
            || !Identifiers.IsValidTenantId(reference!.TenantId) || !Identifiers.IsValidUserId(reference.UserId))
        {
            services.Logger.PortalLinkInvalid();
            return PortalPages.InvalidLink();
        }

        if (reference.ExpiresAt <= services.Time.GetUtcNow())
        {
            services.Logger.PortalRefused(reference.TenantId, PortalOutcome.Expired);
            return PortalPages.Refused(PortalOutcome.Expired);
        }

        var secret = BrowserBindingCookie.NewSecret();
        var session = await services.LinkGrain(reference.LinkId)
            .OpenAsync(new PortalLinkOpen(reference.TenantId, reference.UserId, secret), context.RequestAborted);
        if (session.Outcome != PortalOutcome.Ready)
        {
            services.Logger.PortalRefused(reference.TenantId, session.Outcome);
            return PortalPages.Refused(session.Outcome);
        }

        services.Cookie.Write(context, reference.LinkId, secret, session.ExpiresAt!.Value);
        CallbackResponseHeaders.Apply(context.Response);
        context.Response.Headers.Location = McpGrainsOptions.PortalPath;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static async Task<IResult> ShowAsync(HttpContext context, [FromServices] PortalServices services)
    {
        var (session, refusal) = await services.ResumeAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var options = services.Options;
        var tenant = session.TenantId!;
        var user = session.UserId!;
        var lookups = options.Servers.Keys
            .Order(StringComparer.Ordinal)
            .Select(async serverId => new PortalPages.Entry(
                serverId,
                options.ServerDisplayName(serverId),
                await services.SessionGrain(new McpSessionKey(tenant, user, serverId)).GetConnectionAsync(context.RequestAborted)));
        var entries = await Task.WhenAll(lookups);
        var tokens = services.Antiforgery.GetAndStoreTokens(context);
        return PortalPages.Connections(
            options.HostAppDisplayName(tenant),
            user,
            entries,
            McpGrainsOptions.PortalPath,
            new(tokens.FormFieldName, tokens.RequestToken!),
            session.ExpiresAt!.Value);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, [FromServices] PortalServices services)
    {
        var (session, refusal) = await services.ResumeAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await services.Antiforgery.IsRequestValidAsync(context))
        {
            services.Logger.PortalFormRejected(session.TenantId!);
            return PortalPages.FormExpired();
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var serverId = form[PortalPages.ServerField].Count == 1 ? form[PortalPages.ServerField][0] : null;
        if (serverId is null || !services.Options.Servers.ContainsKey(serverId))
        {
            return PortalPages.FormExpired();
        }

        var key = new McpSessionKey(session.TenantId!, session.UserId!, serverId);
        switch (form["action"].Count == 1 ? form["action"][0] : null)
        {
            case PortalPages.DisconnectAction:
                await services.SessionGrain(key).DisconnectAsync(context.RequestAborted);
                services.Logger.PortalDisconnected(key.Format());
                return BackToPage(context);
            case PortalPages.ConnectAction:
                var result = await services.SessionGrain(key).AuthorizeAsync(new AuthorizeRequest(null, null), context.RequestAborted);
                switch (result.Outcome)
                {
                    case AuthorizeOutcome.Connected:
                        return BackToPage(context);
                    case AuthorizeOutcome.AuthorizationRequired when result.AuthorizationUrl is not null:
                        CallbackResponseHeaders.Apply(context.Response);
                        context.Response.Headers.Location = result.AuthorizationUrl;
                        return Results.StatusCode(StatusCodes.Status303SeeOther);
                    default:
                        services.Logger.AuthorizeFailed(key.Format(), result.Error?.Code);
                        return PortalPages.ConnectFailed(services.Options.ServerDisplayName(serverId), result.Error);
                }

            default:
                return PortalPages.FormExpired();
        }
    }

    /// <summary>Post/redirect/get: the page again, as it now stands.</summary>
    private static IResult BackToPage(HttpContext context)
    {
        CallbackResponseHeaders.Apply(context.Response);
        context.Response.Headers.Location = McpGrainsOptions.PortalPath;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
