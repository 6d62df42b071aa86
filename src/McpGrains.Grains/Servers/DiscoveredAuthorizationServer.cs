using McpGrains.Configuration;
using McpGrains.OAuth;

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

    /// <summary>What <paramref name="result"/> found, with the scopes the server's sessions will request.</summary>
    public static DiscoveredAuthorizationServer From(DiscoveryResult result, IEnumerable<string> scopes, string? resourceMetadataUrl, DateTimeOffset discoveredAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        var metadata = result.AuthorizationServer!;
        return new DiscoveredAuthorizationServer
        {
            Resource = result.Resource,
            Issuer = metadata.Issuer,
            AuthorizationEndpoint = metadata.AuthorizationEndpoint!,
            TokenEndpoint = metadata.TokenEndpoint!,
            RegistrationEndpoint = metadata.RegistrationEndpoint,
            RevocationEndpoint = metadata.RevocationEndpoint,
            IssParameterSupported = metadata.AuthorizationResponseIssParameterSupported,
            TokenEndpointAuthMethods = metadata.TokenEndpointAuthMethodsSupported?.ToList() ?? [],
            Scopes = scopes.ToList(),
            DiscoveredAt = discoveredAt,
            ClientIdMetadataDocumentSupported = metadata.ClientIdMetadataDocumentSupported,
            ResourceMetadataUrl = resourceMetadataUrl,
            DpopSupported = metadata.DpopSigningAlgValuesSupported?.Contains(DpopKey.Algorithm, StringComparer.Ordinal) == true,
        };
    }

    /// <summary>
    /// What a session authorizes with: these endpoints (those pinned by configuration win over discovered ones, for
    /// providers with wrong metadata) and <paramref name="registration"/>'s client.
    /// </summary>
    public ServerAuthorization ToAuthorization(UpstreamOAuthOptions oauth, ClientRegistrationRecord registration)
    {
        ArgumentNullException.ThrowIfNull(oauth);
        ArgumentNullException.ThrowIfNull(registration);
        return new ServerAuthorization(
            Resource,
            Issuer,
            oauth.AuthorizationEndpoint ?? AuthorizationEndpoint,
            oauth.TokenEndpoint ?? TokenEndpoint,
            oauth.RevocationEndpoint ?? RevocationEndpoint,
            registration.ClientId,
            registration.ProtectedClientSecret,
            registration.TokenEndpointAuthMethod,
            Scopes,
            IssParameterSupported,
            oauth.SendResource)
        {
            GrantType = oauth.GrantType,
            Dpop = UsesDpop(oauth),
        };
    }

    /// <summary>
    /// DPoP for the user tokens of a server: <c>required</c> always, <c>auto</c> when its authorization server advertises
    /// ES256 proofs. Not for the shared token of client credentials and workload identity servers.
    /// </summary>
    private bool UsesDpop(UpstreamOAuthOptions oauth) =>
        !UpstreamGrantTypes.IsShared(oauth.GrantType)
        && (oauth.Dpop == DpopModes.Required || (oauth.Dpop == DpopModes.Auto && DpopSupported));
}
