namespace McpGrains.Testing;

/// <summary>A client as the authorization server recorded it (pre-registered or through RFC 7591).</summary>
public sealed record RegisteredClient(
    string ClientId,
    string? ClientSecret,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    string TokenEndpointAuthMethod,
    string? ApplicationType,
    string? ClientName,
    bool DynamicallyRegistered)
{
    public bool AllowsGrant(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);

    public override string ToString() => $"RegisteredClient {{ ClientId = {ClientId}, Method = {TokenEndpointAuthMethod} }}";
}
