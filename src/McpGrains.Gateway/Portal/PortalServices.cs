using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using McpGrains.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Portal;

/// <summary>What the connections page's handlers need, bound as one parameter.</summary>
public sealed class PortalServices(
    PortalLinkCodec codec,
    PortalCookie cookie,
    IAntiforgery antiforgery,
    IGrainFactory grains,
    IOptions<McpGrainsOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory)
{
    public PortalLinkCodec Codec { get; } = codec;

    public PortalCookie Cookie { get; } = cookie;

    public IAntiforgery Antiforgery { get; } = antiforgery;

    public McpGrainsOptions Options => options.Value;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = loggerFactory.CreateLogger(PortalLog.Category);

    public IPortalLinkGrain LinkGrain(string linkId) => grains.GetGrain<IPortalLinkGrain>(linkId);

    public IMcpSessionGrain SessionGrain(McpSessionKey key) => grains.SessionGrain(key);

    /// <summary>The page session this browser's cookie names, or the page that says why there is none.</summary>
    public async Task<(PortalSession Session, IResult? Refusal)> ResumeAsync(HttpContext context)
    {
        if (Cookie.Read(context) is not { } held)
        {
            return (PortalSession.Refused(PortalOutcome.Unknown), PortalPages.NotOpen());
        }

        var session = await LinkGrain(held.LinkId).ResumeAsync(held.Secret, context.RequestAborted);
        if (session.Outcome == PortalOutcome.Ready)
        {
            return (session, null);
        }

        Cookie.Delete(context);
        Logger.PortalRefused(null, session.Outcome);
        return (session, session.Outcome == PortalOutcome.Expired ? PortalPages.Refused(PortalOutcome.Expired) : PortalPages.NotOpen());
    }
}
