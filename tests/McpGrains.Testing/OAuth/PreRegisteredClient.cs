namespace McpGrains.Testing;

/// <summary>A client known to the authorization server before any test runs (no dynamic registration needed).</summary>
public sealed record PreRegisteredClient
{
    public required string ClientId { get; init; }

    /// <summary>Null for a public client (token_endpoint_auth_method "none").</summary>
    public string? ClientSecret { get; init; }

    public required IReadOnlyList<string> RedirectUris { get; init; }

    /// <summary>Defaults to client_secret_basic when a secret is set, else none.</summary>
    public string? TokenEndpointAuthMethod { get; init; }

    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];
}
