using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    /// <summary>The RFC 8414 document this server serves.</summary>
    public JsonObject BuildMetadata()
    {
        var metadata = new JsonObject
        {
            ["issuer"] = _options.AdvertisedIssuerOverride ?? Issuer,
            ["authorization_endpoint"] = AuthorizationEndpoint.ToString(),
            ["token_endpoint"] = TokenEndpoint.ToString(),
            ["response_types_supported"] = new JsonArray("code"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token"),
            ["token_endpoint_auth_methods_supported"] = ToJsonArray(_options.RegisterAuthMethods),
        };
        if (_options.SupportsDynamicRegistration)
        {
            metadata["registration_endpoint"] = RegistrationEndpoint.ToString();
        }

        if (_options.RevocationEndpoint)
        {
            metadata["revocation_endpoint"] = RevocationEndpoint.ToString();
            metadata["revocation_endpoint_auth_methods_supported"] = ToJsonArray(_options.RegisterAuthMethods);
        }

        if (_options.CodeChallengeMethods.Count > 0)
        {
            metadata["code_challenge_methods_supported"] = ToJsonArray(_options.CodeChallengeMethods);
        }

        if (_options.ScopesSupported.Count > 0)
        {
            metadata["scopes_supported"] = ToJsonArray(_options.ScopesSupported);
        }

        if (_options.AdvertiseIssParameter)
        {
            metadata["authorization_response_iss_parameter_supported"] = true;
        }

        AddOpenIdMetadata(metadata);
        if (_options.DpopSigningAlgValues is { } dpopAlgorithms)
        {
            metadata["dpop_signing_alg_values_supported"] = ToJsonArray(dpopAlgorithms);
        }

        if (_options.TrustedIdentityProvider is not null)
        {
            metadata["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        }

        return metadata;
    }

    private void MapMetadata(IEndpointRouteBuilder app)
    {
        var issuerPath = _options.IssuerPath;
        var endpoints = _options.MetadataEndpoints;
        if (endpoints.HasFlag(AuthorizationServerMetadataEndpoints.OAuthAuthorizationServer))
        {
            app.MapGet("/.well-known/oauth-authorization-server" + issuerPath, ServeMetadata);
        }

        if (endpoints.HasFlag(AuthorizationServerMetadataEndpoints.OpenIdConfigurationInserted))
        {
            app.MapGet("/.well-known/openid-configuration" + issuerPath, ServeMetadata);
        }

        if (endpoints.HasFlag(AuthorizationServerMetadataEndpoints.OpenIdConfigurationAppended)
            && (issuerPath.Length > 0 || !endpoints.HasFlag(AuthorizationServerMetadataEndpoints.OpenIdConfigurationInserted)))
        {
            app.MapGet(issuerPath + "/.well-known/openid-configuration", ServeMetadata);
        }
    }

    private IResult ServeMetadata() => Results.Json(BuildMetadata());

    private static JsonArray ToJsonArray(IEnumerable<string> values) => [.. values.Select(value => (JsonNode?)JsonValue.Create(value))];
}
