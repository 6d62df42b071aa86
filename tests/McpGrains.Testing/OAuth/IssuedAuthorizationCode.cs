namespace McpGrains.Testing;

/// <summary>An authorization code and what it was issued for. Mutable only under the server's lock.</summary>
internal sealed class IssuedAuthorizationCode
{
    public required string ClientId { get; init; }

    public required string RedirectUri { get; init; }

    public required string? CodeChallenge { get; init; }

    public required string Subject { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string? Resource { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The OpenID Connect nonce of the authorization request, returned in the id_token.</summary>
    public string? Nonce { get; init; }

    public bool Redeemed { get; set; }

    /// <summary>The token family created when the code was redeemed (revoked if the code is replayed).</summary>
    public string? FamilyId { get; set; }
}
