namespace McpGrains.Testing;

/// <summary>A refresh token's server-side record. Mutable only under the server's lock.</summary>
internal sealed class IssuedRefreshToken
{
    public required string FamilyId { get; init; }

    public required string Subject { get; init; }

    public required string ClientId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string? Resource { get; init; }

    /// <summary>Replaced by a newer token through rotation; presenting it again is reuse.</summary>
    public bool Rotated { get; set; }

    public bool Revoked { get; set; }
}
