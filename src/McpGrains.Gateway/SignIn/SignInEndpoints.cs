using System.Diagnostics.CodeAnalysis;
using McpGrains.Configuration;
using McpGrains.Gateway.Callback;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using McpGrains.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// <c>/oauth/start/{ticket}</c>, where sign-in links point. GET shows the confirmation page: the host app, the account
/// the link connects, the server and the provider's host. POST is its form (anti-forgery checked): Continue binds the
/// flow to this browser (the session grain keeps the hash of a secret this browser then holds in its sign-in cookie)
/// and redirects (303) to the authorization server; Cancel ends the flow. The ticket routes to the session grain from
/// any node; it is never logged or echoed.
/// </summary>
public static class SignInEndpoints
{
    /// <summary>A catch-all, so that a truncated or mangled link (no ticket, extra segments) also gets a page that says why.</summary>
    public const string StartPattern = "/start/{**ticket}";

    public static RouteGroupBuilder MapSignInEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet(StartPattern, ShowAsync).WithName("SignInConfirmation").AllowAnonymous().ExcludeFromDescription();
        group.MapPost(StartPattern, SubmitAsync).WithName("SignInSubmit").AllowAnonymous().ExcludeFromDescription();
        return group;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string? ticket, [FromServices] SignInServices services)
    {
        if (!services.TryOpen(ticket, out var flow, out var key, out var refusal))
        {
            return refusal;
        }

        var (identity, challenge) = await services.OrganizationIdentityAsync(context, key, ticket);
        if (challenge is not null)
        {
            return challenge;
        }

        var request = new SignInRequest(key, flow.FlowId, services.Cookie.Read(context, flow), identity);
        var description = await services.Grain(key).DescribeSignInAsync(request, context.RequestAborted);
        if (description.Outcome == SignInOutcome.IdentityMismatch)
        {
            return services.IdentityMismatch(context, key, identity!, description.ExpectedIdentity, ticket);
        }

        if (description.Outcome != SignInOutcome.Ready)
        {
            services.Logger.SignInRefused(key.Format(), description.Outcome);
            return BrowserPages.Refused(description.Outcome);
        }

        var tokens = services.Antiforgery.GetAndStoreTokens(context);
        var options = services.Options;
        services.Logger.SignInPageShown(key.Format());
        return BrowserPages.Confirmation(
            new SignInConfirmation(
                options.HostAppDisplayName(key.TenantId),
                description.UserLabel ?? key.UserId,
                options.ServerDisplayName(key.ServerId),
                description.ProviderHost ?? "the server's sign-in page",
                description.ExpiresAt ?? flow.ExpiresAt,
                options.SignInLink(ticket!),
                [new(tokens.FormFieldName, tokens.RequestToken!)],
                identity),
            services.Time.GetUtcNow());
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, string? ticket, [FromServices] SignInServices services)
    {
        if (!services.TryOpen(ticket, out var flow, out var key, out var refusal))
        {
            return refusal;
        }

        if (!await services.Antiforgery.IsRequestValidAsync(context))
        {
            services.Logger.SignInFormRejected(key.Format());
            return BrowserPages.FormExpired();
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var action = form["action"].Count == 1 ? form["action"][0] : null;
        if (action == BrowserPages.SwitchAccountAction && services.RequiresOrganizationSignIn(key))
        {
            // Another account at the organization: forget this browser's sign-in here, and ask the provider to choose.
            await OrganizationSignIn.SignOutAsync(context, key.TenantId);
            return OrganizationSignIn.Challenge(key.TenantId, services.Options.SignInLink(ticket), selectAccount: true);
        }

        var (identity, challenge) = await services.OrganizationIdentityAsync(context, key, ticket);
        if (challenge is not null)
        {
            return challenge;
        }

        var existing = services.Cookie.Read(context, flow);
        switch (action)
        {
            case BrowserPages.ContinueAction:
                var binding = existing ?? BrowserBindingCookie.NewSecret();
                var continuation = await services.Grain(key).ContinueSignInAsync(new SignInRequest(key, flow.FlowId, binding, identity), context.RequestAborted);
                if (continuation.Outcome == SignInOutcome.IdentityMismatch)
                {
                    return services.IdentityMismatch(context, key, identity!, null, ticket);
                }

                if (continuation.Outcome != SignInOutcome.Ready)
                {
                    services.Logger.SignInRefused(key.Format(), continuation.Outcome);
                    return BrowserPages.Refused(continuation.Outcome);
                }

                services.Cookie.Write(context, flow, binding);
                services.Logger.SignInContinued(key.Format());
                CallbackResponseHeaders.Apply(context.Response);
                context.Response.Headers.Location = continuation.AuthorizationUrl;
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            case BrowserPages.CancelAction:
                var outcome = await services.Grain(key).CancelSignInAsync(new SignInRequest(key, flow.FlowId, existing, identity), context.RequestAborted);
                if (outcome != SignInOutcome.Ready)
                {
                    services.Logger.SignInRefused(key.Format(), outcome);
                    return BrowserPages.Refused(outcome);
                }

                services.Cookie.Delete(context, flow);
                services.Logger.SignInCancelled(key.Format());
                return BrowserPages.Cancelled();
            default:
                return BrowserPages.FormExpired();
        }
    }

    /// <summary>What both handlers need, bound as one parameter.</summary>
    internal sealed class SignInServices(
        SignInTicketCodec tickets,
        BrowserBindingCookie cookie,
        OrganizationSignIn organization,
        IAntiforgery antiforgery,
        IGrainFactory grains,
        IOptions<McpGrainsOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        public BrowserBindingCookie Cookie { get; } = cookie;

        public IAntiforgery Antiforgery { get; } = antiforgery;

        public McpGrainsOptions Options => options.Value;

        public TimeProvider Time { get; } = time;

        public ILogger Logger { get; } = loggerFactory.CreateLogger(GatewayLog.SignInCategory);

        public IMcpSessionGrain Grain(McpSessionKey key) => grains.SessionGrain(key);

        public bool RequiresOrganizationSignIn(McpSessionKey key) => organization.For(key.TenantId) is not null;

        /// <summary>
        /// Binding mode oidc: the identity this browser signed in with at the host app's provider, or the challenge
        /// that sends it there first (to come back to the sign-in link). Other modes: neither.
        /// </summary>
        public async Task<(string? Identity, IResult? Challenge)> OrganizationIdentityAsync(HttpContext context, McpSessionKey key, string ticket)
        {
            if (organization.For(key.TenantId) is not { } oidc)
            {
                return (null, null);
            }

            if (await organization.ReadIdentityAsync(context, key.TenantId, oidc) is { } identity)
            {
                return (identity, null);
            }

            Logger.SignInIdentityChallenged(key.Format());
            return (null, OrganizationSignIn.Challenge(key.TenantId, Options.SignInLink(ticket)));
        }

        /// <summary>The refusal when the organization's sign-in shows someone other than the host app named; the flow is left as it was.</summary>
        public IResult IdentityMismatch(HttpContext context, McpSessionKey key, string identity, string? expectedIdentity, string ticket)
        {
            Logger.SignInIdentityMismatch(key.Format());
            var tokens = Antiforgery.GetAndStoreTokens(context);
            return BrowserPages.IdentityMismatch(
                Options.HostAppDisplayName(key.TenantId),
                identity,
                expectedIdentity,
                new BrowserPageForm(Options.SignInLink(ticket), [new(tokens.FormFieldName, tokens.RequestToken!)], "Use another account", BrowserPages.SwitchAccountAction));
        }

        /// <summary>Opens the ticket; otherwise the page that says why (invalid, expired).</summary>
        public bool TryOpen([NotNullWhen(true)] string? ticket, [NotNullWhen(true)] out AuthorizationState? flow, out McpSessionKey key, [NotNullWhen(false)] out IResult? refusal)
        {
            key = default;
            refusal = null;
            if (!tickets.TryUnprotect(ticket, out flow) || !McpSessionKey.TryParse(flow!.SessionKey, out key))
            {
                flow = null;
                Logger.SignInLinkInvalid();
                refusal = BrowserPages.InvalidLink();
                return false;
            }

            if (flow.ExpiresAt <= Time.GetUtcNow())
            {
                Logger.SignInLinkExpired(key.Format(), flow.ExpiresAt);
                refusal = BrowserPages.ExpiredLink();
                flow = null;
                return false;
            }

            return true;
        }
    }
}
