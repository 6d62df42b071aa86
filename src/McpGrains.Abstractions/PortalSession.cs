namespace McpGrains;

/// <summary>
/// The answer of a connections-page link: whose page the browser may see (when <see cref="Outcome"/> is
/// <see cref="PortalOutcome.Ready"/>) and until when.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.PortalSession")]
public sealed record PortalSession(
    [property: Id(0)] PortalOutcome Outcome,
    [property: Id(1)] string? TenantId = null,
    [property: Id(2)] string? UserId = null,
    [property: Id(3)] DateTimeOffset? ExpiresAt = null)
{
    public static PortalSession Refused(PortalOutcome outcome) => new(outcome);
}
