using System.Security.Cryptography;
using System.Text;
using McpGrains.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Portal;

/// <summary>
/// A connections-page link (see <see cref="IPortalLinkGrain"/>): issued for one user, opened once, then bound to the
/// opening browser for <c>McpGrains:Authorization:PortalSessionLifetime</c>. Calls run one at a time, so of two browsers
/// opening the same link together exactly one wins. The state is cleared once neither the link nor its session can be
/// used any more and someone presents it again.
/// </summary>
public sealed partial class PortalLinkGrain(
    [PersistentState("portal-link", McpGrainsStorage.Name)] IPersistentState<PortalLinkState> state,
    IOptions<McpGrainsOptions> options,
    TimeProvider time,
    ILogger<PortalLinkGrain> logger) : Grain, IPortalLinkGrain
{
    private PortalLinkState Link => state.State;

    public async Task IssueAsync(PortalLinkIssue issue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (Link.TenantId is not null)
        {
            throw new InvalidOperationException("A portal link id is issued once.");
        }

        Link.TenantId = issue.TenantId;
        Link.UserId = issue.UserId;
        Link.LinkExpiresAt = issue.ExpiresAt;
        await state.WriteStateAsync(cancellationToken);
        LogIssued(issue.TenantId, issue.ExpiresAt);
    }

    public async Task<PortalSession> OpenAsync(PortalLinkOpen open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentException.ThrowIfNullOrEmpty(open.BrowserBinding);
        var now = time.GetUtcNow();
        if (Link.TenantId != open.TenantId || Link.UserId != open.UserId)
        {
            return Refuse(PortalOutcome.Unknown);
        }

        if (Link.OpenedAt is not null)
        {
            return Refuse(PortalOutcome.Used);
        }

        if (Link.LinkExpiresAt <= now)
        {
            return Refuse(PortalOutcome.Expired);
        }

        Link.OpenedAt = now;
        Link.BrowserBindingHash = Hash(open.BrowserBinding);
        Link.SessionExpiresAt = now + options.Value.Authorization.PortalSessionLifetime;
        await state.WriteStateAsync(cancellationToken);
        LogOpened(open.TenantId, Link.SessionExpiresAt);
        return Ready();
    }

    public async Task<PortalSession> ResumeAsync(string browserBinding, CancellationToken cancellationToken = default)
    {
        if (Link.OpenedAt is null || string.IsNullOrEmpty(browserBinding)
            || !CryptographicOperations.FixedTimeEquals(Hash(browserBinding), Link.BrowserBindingHash))
        {
            return Refuse(PortalOutcome.Used);
        }

        var now = time.GetUtcNow();
        if (Link.SessionExpiresAt <= now)
        {
            if (Link.LinkExpiresAt <= now)
            {
                // Neither the link nor its session can work again: nothing is left worth keeping.
                await state.ClearStateAsync(cancellationToken);
            }

            return Refuse(PortalOutcome.Expired);
        }

        return Ready();
    }

    private PortalSession Ready() => new(PortalOutcome.Ready, Link.TenantId, Link.UserId, Link.SessionExpiresAt);

    private PortalSession Refuse(PortalOutcome outcome)
    {
        LogRefused(outcome);
        return PortalSession.Refused(outcome);
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
