namespace McpGrains;

/// <summary>
/// A browser opening a connections-page link: the user the (sealed) link names, and the browser's new binding secret.
/// The secret is a secret: <see cref="ToString"/> leaves it out.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.PortalLinkOpen")]
public sealed record PortalLinkOpen(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string BrowserBinding)
{
    public override string ToString() => $"PortalLinkOpen {{ TenantId = {TenantId}, UserId = {UserId} }}";
}
