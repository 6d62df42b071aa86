using System.Text;

namespace McpGrains.OAuth;

/// <summary>
/// RFC 8414 authorization-server metadata (or the OpenID Connect discovery document). Our own type, unlike
/// <see cref="ModelContextProtocol.Authentication.ProtectedResourceMetadata"/>: ModelContextProtocol.Core 2.4.0 keeps its
/// <c>AuthorizationServerMetadata</c> internal, and that type holds the issuer as a <see cref="Uri"/>, which normalizes it
/// (<c>https://as</c> becomes <c>https://as/</c>) where RFC 8414 section 3.3 and RFC 9207 compare the string exactly; it
/// also lacks <c>dpop_signing_alg_values_supported</c>.
/// </summary>
public sealed record AuthorizationServerMetadata
{
    public required string Issuer { get; init; }

    public string? AuthorizationEndpoint { get; init; }

    public string? TokenEndpoint { get; init; }

    public string? RegistrationEndpoint { get; init; }

    public string? RevocationEndpoint { get; init; }

    public IReadOnlyList<string>? ScopesSupported { get; init; }

    public IReadOnlyList<string>? CodeChallengeMethodsSupported { get; init; }

    public IReadOnlyList<string>? TokenEndpointAuthMethodsSupported { get; init; }

    public bool AuthorizationResponseIssParameterSupported { get; init; }

    public bool ClientIdMetadataDocumentSupported { get; init; }

    public IReadOnlyList<string>? GrantTypesSupported { get; init; }

    public IReadOnlyList<string>? ResponseTypesSupported { get; init; }

    /// <summary>RFC 9449 section 5.1: the DPoP proof algorithms the server accepts; present means it supports DPoP.</summary>
    public IReadOnlyList<string>? DpopSigningAlgValuesSupported { get; init; }

    /// <summary>Parses an untrusted document; throws <see cref="OAuthClientException"/> (discovery_failed) when malformed.</summary>
    public static AuthorizationServerMetadata Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="Parse(string)"/>
    public static AuthorizationServerMetadata Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonObjectReader.ParseObject(utf8Json, "authorization server metadata");
            var root = document.RootElement;
            var issuer = JsonObjectReader.GetString(root, "issuer");
            if (string.IsNullOrEmpty(issuer))
            {
                throw new FormatException("The authorization server metadata has no 'issuer'.");
            }

            return new AuthorizationServerMetadata
            {
                Issuer = issuer,
                AuthorizationEndpoint = JsonObjectReader.GetString(root, "authorization_endpoint"),
                TokenEndpoint = JsonObjectReader.GetString(root, "token_endpoint"),
                RegistrationEndpoint = JsonObjectReader.GetString(root, "registration_endpoint"),
                RevocationEndpoint = JsonObjectReader.GetString(root, "revocation_endpoint"),
                ScopesSupported = JsonObjectReader.GetStringArray(root, "scopes_supported"),
                CodeChallengeMethodsSupported = JsonObjectReader.GetStringArray(root, "code_challenge_methods_supported"),
                TokenEndpointAuthMethodsSupported = JsonObjectReader.GetStringArray(root, "token_endpoint_auth_methods_supported"),
                AuthorizationResponseIssParameterSupported = JsonObjectReader.GetBoolean(root, "authorization_response_iss_parameter_supported"),
                ClientIdMetadataDocumentSupported = JsonObjectReader.GetBoolean(root, "client_id_metadata_document_supported"),
                GrantTypesSupported = JsonObjectReader.GetStringArray(root, "grant_types_supported"),
                ResponseTypesSupported = JsonObjectReader.GetStringArray(root, "response_types_supported"),
                DpopSigningAlgValuesSupported = JsonObjectReader.GetStringArray(root, "dpop_signing_alg_values_supported"),
            };
        }
        catch (FormatException ex)
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, ex.Message, ex);
        }
    }
}
