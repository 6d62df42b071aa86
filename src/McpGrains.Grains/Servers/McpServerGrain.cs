using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Servers;

/// <summary>
/// One per configured upstream server: discovers its authorization server once, registers one client for it (per
/// issuer and redirect URI) and hands both to every session of that server.
/// </summary>
public sealed partial class McpServerGrain : Grain, IMcpServerGrain
{
    /// <summary>A failed discovery is not retried for this long, so that a broken server cannot be hammered by every session.</summary>
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<McpServerState> _state;
    private readonly IOptions<McpGrainsOptions> _options;
    private readonly ISecretProtector _protector;
    private readonly KeyRing _keyRing;
    private readonly McpAuthorizationDiscovery _discovery;
    private readonly ClientRegistrar _registrar;
    private readonly TokenClient _tokenClient;
    private readonly TimeProvider _time;
    private readonly ILogger<McpServerGrain> _logger;
    private string _serverId = "";
    private bool _authorizationNotRequired;
    private ServerAuthorizationResult? _recentFailure;
    private DateTimeOffset _recentFailureUntil;

    public McpServerGrain(
        [PersistentState("server", McpGrainsStorage.Name)] IPersistentState<McpServerState> state,
        IOptions<McpGrainsOptions> options,
        ISecretProtector protector,
        KeyRing keyRing,
        McpAuthorizationDiscovery discovery,
        ClientRegistrar registrar,
        TokenClient tokenClient,
        TimeProvider time,
        ILogger<McpServerGrain> logger)
    {
        _state = state;
        _options = options;
        _protector = protector;
        _keyRing = keyRing;
        _discovery = discovery;
        _registrar = registrar;
        _tokenClient = tokenClient;
        _time = time;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _serverId = this.GetPrimaryKeyString();
        return Task.CompletedTask;
    }

    public async Task<ServerAuthorizationResult> GetAuthorizationAsync(CancellationToken cancellationToken = default)
    {
        using var network = PrivateNetworkAccess.Allow(AllowPrivateNetwork);
        return await GetAuthorizationCoreAsync(cancellationToken);
    }

    /// <summary>Discovery and registration requests may go to private addresses when the operator allowed it for this server.</summary>
    private bool AllowPrivateNetwork => _options.Value.Servers.TryGetValue(_serverId, out var server) && server.AllowPrivateNetwork;

    private async Task<ServerAuthorizationResult> GetAuthorizationCoreAsync(CancellationToken cancellationToken)
    {
        if (!_options.Value.Servers.TryGetValue(_serverId, out var server))
        {
            return ServerAuthorizationResult.Failed(new SessionError(SessionErrorCodes.DiscoveryFailed, $"Server '{_serverId}' is not configured."));
        }

        if (_authorizationNotRequired)
        {
            return ServerAuthorizationResult.NotRequired;
        }

        var now = _time.GetUtcNow();
        if (_recentFailure is not null && now < _recentFailureUntil)
        {
            return _recentFailure;
        }

        try
        {
            var discovery = _state.State.Discovery;
            if (discovery is null)
            {
                discovery = await DiscoverAsync(server, cancellationToken);
                if (discovery is null)
                {
                    _authorizationNotRequired = true;
                    LogNoAuthorization(_logger, _serverId);
                    return ServerAuthorizationResult.NotRequired;
                }
            }

            if (await CheckIssuerPinAsync(server, discovery, cancellationToken) is { } refused)
            {
                return refused;
            }

            var registration = await GetRegistrationAsync(server, discovery, cancellationToken);
            _recentFailure = null;
            // Endpoints pinned by configuration win over discovered ones (providers with wrong metadata).
            return ServerAuthorizationResult.Ready(new ServerAuthorization(
                discovery.Resource,
                discovery.Issuer,
                server.OAuth.AuthorizationEndpoint ?? discovery.AuthorizationEndpoint,
                server.OAuth.TokenEndpoint ?? discovery.TokenEndpoint,
                server.OAuth.RevocationEndpoint ?? discovery.RevocationEndpoint,
                registration.ClientId,
                registration.ProtectedClientSecret,
                registration.TokenEndpointAuthMethod,
                discovery.Scopes,
                discovery.IssParameterSupported,
                server.OAuth.SendResource)
            {
                GrantType = server.OAuth.GrantType,
                Dpop = UsesDpop(server.OAuth, discovery),
            });
        }
        catch (OAuthClientException ex)
        {
            LogDiscoveryFailed(_logger, _serverId, ex.ErrorCode, ex.Message);
            _recentFailure = ServerAuthorizationResult.Failed(new SessionError(ex.ErrorCode, ex.Message));
            _recentFailureUntil = now + FailureBackoff;
            return _recentFailure;
        }
    }

    /// <summary>
    /// DPoP for the user tokens of a server: <c>required</c> always, <c>auto</c> when its authorization server advertises
    /// ES256 proofs. Not for the shared token of client credentials and workload identity servers.
    /// </summary>
    private static bool UsesDpop(UpstreamOAuthOptions oauth, DiscoveredAuthorizationServer discovery) =>
        !UpstreamGrantTypes.IsShared(oauth.GrantType)
        && (oauth.Dpop == DpopModes.Required || (oauth.Dpop == DpopModes.Auto && discovery.DpopSupported));

    public async Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default)
    {
        if (_state.State.SharedToken is { } shared && _protector.GetKeyId(shared.ProtectedAccessToken) != _keyRing.ActiveKeyId)
        {
            // A shared token is cheap to obtain again: dropped rather than re-encrypted.
            _state.State.SharedToken = null;
            await _state.WriteStateAsync(cancellationToken);
        }

        var registration = _state.State.Registration;
        if (registration?.ProtectedClientSecret is not { } secret || _protector.GetKeyId(secret) == _keyRing.ActiveKeyId)
        {
            return false;
        }

        var context = SecretContexts.ClientSecret(_serverId);
        registration.ProtectedClientSecret = _protector.Protect(_protector.Unprotect(secret, context), context);
        await _state.WriteStateAsync(cancellationToken);
        return true;
    }

    public async Task ResetAsync(string reason, CancellationToken cancellationToken = default)
    {
        LogReset(_logger, _serverId, reason);
        _authorizationNotRequired = false;
        _recentFailure = null;
        _state.State.Discovery = null;
        await _state.WriteStateAsync(cancellationToken);
    }

    public async Task<ServerAuthorizationResult> ReportChallengeAsync(string wwwAuthenticate, DateTimeOffset observedAt, CancellationToken cancellationToken = default)
    {
        if (!_options.Value.Servers.TryGetValue(_serverId, out var server))
        {
            return ServerAuthorizationResult.Failed(new SessionError(SessionErrorCodes.DiscoveryFailed, $"Server '{_serverId}' is not configured."));
        }

        var challenge = WwwAuthenticateChallenge.Parse(wwwAuthenticate);
        var current = _state.State.Discovery;

        // Many sessions meet the same challenge at once: a discovery made after they saw it already answers them.
        if (current is not null && !_authorizationNotRequired && current.DiscoveredAt > observedAt)
        {
            return await GetAuthorizationAsync(cancellationToken);
        }

        using var network = PrivateNetworkAccess.Allow(server.AllowPrivateNetwork);
        try
        {
            var result = await _discovery.DiscoverFromChallengeAsync(new Uri(server.Url!), wwwAuthenticate, cancellationToken);
            var previousIssuer = current?.Issuer;
            var discovery = await RecordDiscoveryAsync(server, result, challenge?.ResourceMetadata, cancellationToken);
            _authorizationNotRequired = false;
            _recentFailure = null;
            LogChallengeRediscovered(_logger, _serverId, previousIssuer ?? "(none)", discovery.Issuer);
            return await GetAuthorizationCoreAsync(cancellationToken);
        }
        catch (OAuthClientException ex)
        {
            LogDiscoveryFailed(_logger, _serverId, ex.ErrorCode, ex.Message);
            return ServerAuthorizationResult.Failed(new SessionError(ex.ErrorCode, ex.Message));
        }
    }

    private async Task<DiscoveredAuthorizationServer?> DiscoverAsync(UpstreamServerOptions server, CancellationToken cancellationToken)
    {
        var result = await _discovery.DiscoverAsync(new Uri(server.Url!), server.ProtocolVersion, cancellationToken);
        if (!result.RequiresAuthorization)
        {
            return null;
        }

        return await RecordDiscoveryAsync(server, result, resourceMetadataUrl: null, cancellationToken);
    }

    private async Task<DiscoveredAuthorizationServer> RecordDiscoveryAsync(UpstreamServerOptions server, DiscoveryResult result, string? resourceMetadataUrl, CancellationToken cancellationToken)
    {
        var metadata = result.AuthorizationServer!;
        var discovery = new DiscoveredAuthorizationServer
        {
            Resource = result.Resource,
            Issuer = metadata.Issuer,
            AuthorizationEndpoint = metadata.AuthorizationEndpoint!,
            TokenEndpoint = metadata.TokenEndpoint!,
            RegistrationEndpoint = metadata.RegistrationEndpoint,
            RevocationEndpoint = metadata.RevocationEndpoint,
            IssParameterSupported = metadata.AuthorizationResponseIssParameterSupported,
            TokenEndpointAuthMethods = metadata.TokenEndpointAuthMethodsSupported?.ToList() ?? [],
            Scopes = ScopeSelector.Select(server.OAuth.ScopeList, result.ChallengeScope, result.ResourceMetadata, metadata).ToList(),
            DiscoveredAt = _time.GetUtcNow(),
            ClientIdMetadataDocumentSupported = metadata.ClientIdMetadataDocumentSupported,
            ResourceMetadataUrl = resourceMetadataUrl,
            DpopSupported = metadata.DpopSigningAlgValuesSupported?.Contains(DpopKey.Algorithm, StringComparer.Ordinal) == true,
        };
        _state.State.Discovery = discovery;
        await _state.WriteStateAsync(cancellationToken);
        LogDiscovered(_logger, _serverId, discovery.Issuer, discovery.Scopes.Count);
        return discovery;
    }

    private async Task<ClientRegistrationRecord> GetRegistrationAsync(UpstreamServerOptions server, DiscoveredAuthorizationServer discovery, CancellationToken cancellationToken)
    {
        var redirectUri = _options.Value.RedirectUri;
        if (!string.IsNullOrEmpty(server.OAuth.ClientId))
        {
            // Pre-registered credentials come from configuration each time; nothing to persist.
            return new ClientRegistrationRecord
            {
                ClientId = server.OAuth.ClientId,
                ProtectedClientSecret = server.OAuth.ClientSecret is { Length: > 0 } secret ? _protector.Protect(secret, SecretContexts.ClientSecret(_serverId)) : null,
                TokenEndpointAuthMethod = server.OAuth.TokenEndpointAuthMethod
                    ?? (server.OAuth.PrivateKey is not null || server.OAuth.PrivateKeyFile is not null
                        ? TokenEndpointAuthMethods.PrivateKeyJwt
                        : ChoosePreRegisteredAuthMethod(server.OAuth.ClientSecret, discovery.TokenEndpointAuthMethods)),
                Issuer = discovery.Issuer,
                RedirectUri = redirectUri,
            };
        }

        // A Client ID Metadata Document: our client_id is the URL of a document we serve; nothing to register.
        if (discovery.ClientIdMetadataDocumentSupported && _options.Value.EffectiveClientMetadataDocumentUrl is { } documentUrl)
        {
            return new ClientRegistrationRecord
            {
                ClientId = documentUrl,
                TokenEndpointAuthMethod = "none",
                Issuer = discovery.Issuer,
                RedirectUri = redirectUri,
            };
        }

        var existing = _state.State.Registration;
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
        var credentials = await _registrar.RegisterAsync(
            metadata,
            new ClientRegistrationRequest(_options.Value.Authorization.ClientName, redirectUri, discovery.Scopes.Count == 0 ? null : string.Join(' ', discovery.Scopes)),
            cancellationToken);
        var registration = new ClientRegistrationRecord
        {
            ClientId = credentials.ClientId,
            ProtectedClientSecret = credentials.ClientSecret is { Length: > 0 } clientSecret ? _protector.Protect(clientSecret, SecretContexts.ClientSecret(_serverId)) : null,
            TokenEndpointAuthMethod = credentials.TokenEndpointAuthMethod,
            Issuer = discovery.Issuer,
            RedirectUri = redirectUri,
            RegisteredAt = _time.GetUtcNow(),
        };
        _state.State.Registration = registration;
        await _state.WriteStateAsync(cancellationToken);
        LogRegistered(_logger, _serverId, discovery.Issuer, registration.ClientId);
        return registration;
    }

    private static string ChoosePreRegisteredAuthMethod(string? secret, List<string> supported)
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
