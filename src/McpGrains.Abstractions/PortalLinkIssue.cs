namespace McpGrains;

/// <summary>A connections-page link for one user of one host app, valid until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.PortalLinkIssue")]
public sealed record PortalLinkIssue(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string UserId,
    [property: Id(2)] DateTimeOffset ExpiresAt);
