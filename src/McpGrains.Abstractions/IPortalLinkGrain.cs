namespace McpGrains;

/// <summary>
/// One per connections-page link (the grain key is the link's random id). Remembers for whom the link was issued,
/// whether a browser has opened it (a link opens once), and the hash of the secret that browser holds in its
/// connections-page cookie, so that the page it opened works in that browser alone, for a short while, on any node.
/// </summary>
[Alias("McpGrains.IPortalLinkGrain")]
public interface IPortalLinkGrain : IGrainWithStringKey
{
    /// <summary>Records a new link for a host app's user, valid until <see cref="PortalLinkIssue.ExpiresAt"/>.</summary>
    [Alias("IssueAsync")]
    Task IssueAsync(PortalLinkIssue issue, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first opening of the link: binds it to the browser holding <see cref="PortalLinkOpen.BrowserBinding"/> and
    /// starts its page session. Any later opening, in any browser, is refused.
    /// </summary>
    [Alias("OpenAsync")]
    Task<PortalSession> OpenAsync(PortalLinkOpen open, CancellationToken cancellationToken = default);

    /// <summary>The page session of the browser holding <paramref name="browserBinding"/>, if it is the bound one and the session lasts.</summary>
    [Alias("ResumeAsync")]
    Task<PortalSession> ResumeAsync(string browserBinding, CancellationToken cancellationToken = default);
}
