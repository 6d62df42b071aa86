namespace McpGrains.Testing;

/// <summary>What the authorization server knows about a valid access token.</summary>
public sealed record AccessTokenInfo(
    string Subject,
    string ClientId,
    IReadOnlyList<string> Scopes,
    string? Resource,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The RFC 7638 thumbprint of the DPoP key the token is bound to (<c>cnf.jkt</c>), or null for a Bearer token.</summary>
    public string? Jkt { get; init; }
}
