using ModelContextProtocol.Authentication;

namespace McpGrains.OAuth;

/// <summary>What <see cref="McpAuthorizationDiscovery.DiscoverAsync"/> learned about an MCP server.</summary>
/// <param name="RequiresAuthorization">False when the unauthenticated probe succeeded.</param>
/// <param name="Resource">The RFC 8707 resource indicator: the PRM <c>resource</c> when there is one (it matched the
/// MCP URL), else the canonical MCP server URL.</param>
/// <param name="ResourceMetadata">Null for servers without protected-resource metadata (2025-03-26) or when no
/// authorization is required.</param>
/// <param name="AuthorizationServer">Null only when <paramref name="RequiresAuthorization"/> is false.</param>
/// <param name="ChallengeScope">The <c>scope</c> of the 401 challenge, if any.</param>
public sealed record DiscoveryResult(
    bool RequiresAuthorization,
    string Resource,
    ProtectedResourceMetadata? ResourceMetadata,
    AuthorizationServerMetadata? AuthorizationServer,
    string? ChallengeScope)
{
    /// <summary>True when the authorization server came from the 2025-03-26 default endpoints (no metadata document).</summary>
    public bool UsesDefaultEndpoints { get; init; }
}
