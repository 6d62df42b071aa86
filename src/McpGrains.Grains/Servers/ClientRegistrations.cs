using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Servers;

/// <summary>
/// The client a server's sessions authorize as: pre-registered credentials from configuration (nothing persisted), a
/// Client ID Metadata Document URL, or one dynamic registration (RFC 7591) per issuer and redirect URI, persisted in
/// <see cref="McpServerState.Registration"/>.
/// </summary>
internal sealed class ClientRegistrations(
    string serverId,
    IStoredState<McpServerState> store,
    McpGrainsOptions options,
    ISecretProtector protector,
    ClientRegistrar registrar,
    TimeProvider time,
    ILogger logger)
{
    public async Task<ClientRegistrationRecord> GetAsync(UpstreamServerOptions server, DiscoveredAuthorizationServer discovery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(discovery);
        var redirectUri = options.RedirectUri;
        if (!string.IsNullOrEmpty(server.OAuth.ClientId))
        {
            // Pre-registered credentials come from configuration each time; nothing to persist.
            return new ClientRegistrationRecord
            {
                ClientId = server.OAuth.ClientId,
                ProtectedClientSecret = server.OAuth.ClientSecret is { Length: > 0 } secret ? protector.Protect(secret, SecretContexts.ClientSecret(serverId)) : null,
                TokenEndpointAuthMethod = server.OAuth.TokenEndpointAuthMethod
                    ?? (server.OAuth.PrivateKey is not null || server.OAuth.PrivateKeyFile is not null
                        ? TokenEndpointAuthMethods.PrivateKeyJwt
                        : ChoosePreRegisteredAuthMethod(server.OAuth.ClientSecret, discovery.TokenEndpointAuthMethods)),
                Issuer = discovery.Issuer,
                RedirectUri = redirectUri,
            };
        }

        // A Client ID Metadata Document: our client_id is the URL of a document we serve; nothing to register.
        if (discovery.ClientIdMetadataDocumentSupported && options.EffectiveClientMetadataDocumentUrl is { } documentUrl)
        {
            return new ClientRegistrationRecord
            {
                ClientId = documentUrl,
                TokenEndpointAuthMethod = "none",
                Issuer = discovery.Issuer,
                RedirectUri = redirectUri,
            };
        }

        var existing = store.State.Registration;
        if (existing is not null && existing.Issuer == discovery.Issuer && existing.RedirectUri == redirectUri)
        {
            return existing;
        }

        // Credentials are bound to their issuer and redirect URI: anything else means a new registration.
        var metadata = new AuthorizationServerMetadata
        {
            Issuer = discovery.Issuer,
            AuthorizationEndpoint = discovery.AuthorizationEndpoint,
            TokenEndpoint = discovery.TokenEndpoint,
            RegistrationEndpoint = discovery.RegistrationEndpoint,
            TokenEndpointAuthMethodsSupported = discovery.TokenEndpointAuthMethods.Count == 0 ? null : discovery.TokenEndpointAuthMethods,
        };
        var credentials = await registrar.RegisterAsync(
            metadata,
            new ClientRegistrationRequest(options.Authorization.ClientName, redirectUri, discovery.Scopes.Count == 0 ? null : string.Join(' ', discovery.Scopes)),
            cancellationToken);
        var registration = new ClientRegistrationRecord
        {
            ClientId = credentials.ClientId,
            ProtectedClientSecret = credentials.ClientSecret is { Length: > 0 } clientSecret ? protector.Protect(clientSecret, SecretContexts.ClientSecret(serverId)) : null,
            TokenEndpointAuthMethod = credentials.TokenEndpointAuthMethod,
            Issuer = discovery.Issuer,
            RedirectUri = redirectUri,
            RegisteredAt = time.GetUtcNow(),
        };
        store.State.Registration = registration;
        await store.WriteAsync(cancellationToken);
        ServerLog.Registered(logger, serverId, discovery.Issuer, registration.ClientId);
        return registration;
    }

    /// <summary>The authentication method for a configured client: basic unless the server only lists post.</summary>
    internal static string ChoosePreRegisteredAuthMethod(string? secret, List<string> supported)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return "none";
        }

        if (supported.Count == 0 || supported.Contains("client_secret_basic"))
        {
            return "client_secret_basic";
        }

        return supported.Contains("client_secret_post") ? "client_secret_post" : "client_secret_basic";
    }
}
