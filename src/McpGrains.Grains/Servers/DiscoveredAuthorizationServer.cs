namespace McpGrains.Grains.Servers;

/// <summary>What discovery learned about a protected server and its authorization server.</summary>
[GenerateSerializer, Alias("McpGrains.DiscoveredAuthorizationServer")]
public sealed class DiscoveredAuthorizationServer
{
    [Id(0)] public string Resource { get; set; } = "";

    [Id(1)] public string Issuer { get; set; } = "";

    [Id(2)] public string AuthorizationEndpoint { get; set; } = "";

    [Id(3)] public string TokenEndpoint { get; set; } = "";

    [Id(4)] public string? RegistrationEndpoint { get; set; }

    [Id(5)] public string? RevocationEndpoint { get; set; }

    [Id(6)] public bool IssParameterSupported { get; set; }

    [Id(7)] public List<string> TokenEndpointAuthMethods { get; set; } = [];

    [Id(8)] public List<string> Scopes { get; set; } = [];

    [Id(9)] public DateTimeOffset DiscoveredAt { get; set; }

    [Id(10)] public bool ClientIdMetadataDocumentSupported { get; set; }

    /// <summary>The protected-resource metadata URL the discovery started from, when a challenge named one.</summary>
    [Id(11)] public string? ResourceMetadataUrl { get; set; }

    /// <summary>The authorization server advertises <c>dpop_signing_alg_values_supported</c> (RFC 9449 section 5.1).</summary>
    [Id(12)] public bool DpopSupported { get; set; }
}
