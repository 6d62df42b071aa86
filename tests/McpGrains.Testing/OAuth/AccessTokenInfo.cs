namespace McpGrains.Testing;

/// <summary>What the authorization server knows about a valid access token.</summary>
public sealed record AccessTokenInfo(
    string Subject,
    string ClientId,
    IReadOnlyList<string> Scopes,
    string? Resource,
    DateTimeOffset ExpiresAt);
