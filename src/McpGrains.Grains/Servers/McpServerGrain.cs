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
public sealed class McpServerGrain : Grain, IMcpServerGrain
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
    private IssuerPin _issuerPin = null!;
    private ClientRegistrations _registrations = null!;
    private SharedTokenSource _sharedTokens = null!;

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
        var store = new StoredGrainState<McpServerState>(_state);
        _issuerPin = new IssuerPin(_serverId, store, _logger);
        _registrations = new ClientRegistrations(_serverId, store, _options.Value, _protector, _registrar, _time, _logger);
        _sharedTokens = new SharedTokenSource(_serverId, store, _protector, _tokenClient, _options.Value.Authorization.RefreshSkew, FailureBackoff, _time, _logger);
        return Task.CompletedTask;
    }

    /// <summary>The token of a server whose users share McpGrains' own token (client credentials, workload identity).</summary>
    public async Task<AccessTokenResult> GetSharedTokenAsync(string? rejectedToken, CancellationToken cancellationToken = default)
    {
        using var network = PrivateNetworkAccess.Allow(AllowPrivateNetwork);
        var server = _options.Value.Servers.GetValueOrDefault(_serverId);
        if (server is null || !UpstreamGrantTypes.IsShared(server.OAuth.GrantType))
        {
            return SharedTokenSource.Failed(new SessionError(SessionErrorCodes.DiscoveryFailed, $"Server '{_serverId}' does not use a shared token."));
        }

        var authorization = await GetAuthorizationCoreAsync(cancellationToken);
        return authorization.Outcome switch
        {
            ServerAuthorizationOutcome.NotRequired => new AccessTokenResult(AccessTokenOutcome.NotRequired, null, null, ConnectionStatus.Connected, null),
            ServerAuthorizationOutcome.Failed => SharedTokenSource.Failed(authorization.Error!),
            _ => await _sharedTokens.GetAsync(server.OAuth, authorization.Authorization!, rejectedToken, cancellationToken),
        };
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
                    ServerLog.NoAuthorization(_logger, _serverId);
                    return ServerAuthorizationResult.NotRequired;
                }
            }

            if (await _issuerPin.CheckAsync(server, discovery, cancellationToken) is { } refused)
            {
                return refused;
            }

            var registration = await _registrations.GetAsync(server, discovery, cancellationToken);
            _recentFailure = null;
            return ServerAuthorizationResult.Ready(discovery.ToAuthorization(server.OAuth, registration));
        }
        catch (OAuthClientException ex)
        {
            ServerLog.DiscoveryFailed(_logger, _serverId, ex.ErrorCode, ex.Message);
            _recentFailure = ServerAuthorizationResult.Failed(new SessionError(ex.ErrorCode, ex.Message));
            _recentFailureUntil = now + FailureBackoff;
            return _recentFailure;
        }
    }

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
        ServerLog.Reset(_logger, _serverId, reason);
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
            ServerLog.ChallengeRediscovered(_logger, _serverId, previousIssuer ?? "(none)", discovery.Issuer);
            return await GetAuthorizationCoreAsync(cancellationToken);
        }
        catch (OAuthClientException ex)
        {
            ServerLog.DiscoveryFailed(_logger, _serverId, ex.ErrorCode, ex.Message);
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
        var discovery = DiscoveredAuthorizationServer.From(result, ScopeSelector.Select(server.OAuth.ScopeList, result.ChallengeScope, result.ResourceMetadata, result.AuthorizationServer!), resourceMetadataUrl, _time.GetUtcNow());
        _state.State.Discovery = discovery;
        await _state.WriteStateAsync(cancellationToken);
        ServerLog.Discovered(_logger, _serverId, discovery.Issuer, discovery.Scopes.Count);
        return discovery;
    }
}
