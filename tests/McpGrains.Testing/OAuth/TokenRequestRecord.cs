namespace McpGrains.Testing;

/// <summary>One /token request as received, for assertions (no secrets).</summary>
/// <param name="ClientAuthMethod">client_secret_basic, client_secret_post or none, as the request presented itself.</param>
public sealed record TokenRequestRecord(string? GrantType, string? ClientId, string ClientAuthMethod, string? Resource, string? Scope);
