namespace McpGrains.Testing;

/// <summary>An access token's server-side record. Mutable only under the server's lock.</summary>
internal sealed class IssuedAccessToken
{
    public required string FamilyId { get; init; }

    public required string Subject { get; init; }

    public required string ClientId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string? Resource { get; init; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }

    /// <summary>The thumbprint of the DPoP key the token is bound to, or null.</summary>
    public string? Jkt { get; init; }
}
