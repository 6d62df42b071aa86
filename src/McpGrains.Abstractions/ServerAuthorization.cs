namespace McpGrains;

/// <summary>
/// What every user of one upstream server shares: where to authorize, the client registration, and the scopes to ask
/// for. The client secret stays encrypted (<see cref="ProtectedClientSecret"/>) until the session grain uses it.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.ServerAuthorization")]
public sealed record ServerAuthorization(
    [property: Id(0)] string Resource,
    [property: Id(1)] string Issuer,
    [property: Id(2)] string AuthorizationEndpoint,
    [property: Id(3)] string TokenEndpoint,
    [property: Id(4)] string? RevocationEndpoint,
    [property: Id(5)] string ClientId,
    [property: Id(6)] byte[]? ProtectedClientSecret,
    [property: Id(7)] string TokenEndpointAuthMethod,
    [property: Id(8)] IReadOnlyList<string> Scopes,
    [property: Id(9)] bool IssParameterSupported,
    [property: Id(10)] bool SendResource)
{
    /// <summary>How tokens are obtained (<c>McpGrains.Configuration.UpstreamGrantTypes</c>).</summary>
    [Id(11)] public string GrantType { get; init; } = "authorization_code";

    /// <summary>Tokens are DPoP-bound (RFC 9449): a key per connection, a proof on every token and MCP request.</summary>
    [Id(12)] public bool Dpop { get; init; }

    public override string ToString() =>
        $"ServerAuthorization {{ Resource = {Resource}, Issuer = {Issuer}, ClientId = {ClientId}, AuthMethod = {TokenEndpointAuthMethod}, GrantType = {GrantType}, Dpop = {Dpop} }}";
}
