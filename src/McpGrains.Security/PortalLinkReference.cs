namespace McpGrains.Security;

/// <summary>
/// What a connections-page link names: whose page (host app and user), the link's id (its grain key) and expiry.
/// <see cref="LinkId"/> is a secret; <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record PortalLinkReference(string TenantId, string UserId, string LinkId, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"PortalLinkReference {{ TenantId = {TenantId}, ExpiresAt = {ExpiresAt:O} }}";
}
