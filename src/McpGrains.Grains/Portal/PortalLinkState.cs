namespace McpGrains.Grains.Portal;

/// <summary>One connections-page link. Property names and [Id]s are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.PortalLinkState")]
public sealed class PortalLinkState
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public string? UserId { get; set; }

    [Id(2)] public DateTimeOffset LinkExpiresAt { get; set; }

    /// <summary>When a browser opened the link (null: not yet); a link opens once.</summary>
    [Id(3)] public DateTimeOffset? OpenedAt { get; set; }

    /// <summary>SHA-256 of the opening browser's binding secret; never the secret.</summary>
    [Id(4)] public byte[] BrowserBindingHash { get; set; } = [];

    [Id(5)] public DateTimeOffset SessionExpiresAt { get; set; }
}
