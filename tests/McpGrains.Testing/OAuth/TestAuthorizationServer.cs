using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

/// <summary>
/// An in-process OAuth 2.1 authorization server on loopback Kestrel, with automatic consent, for tests.
/// Every piece of state sits behind one lock; counters and snapshots are safe to read from any thread.
/// </summary>
public sealed partial class TestAuthorizationServer : IAsyncDisposable
{
    /// <summary>Request header carrying the user who "consents"; absent means <see cref="DefaultUser"/>.</summary>
    public const string UserHeader = "X-Test-User";

    public const string DefaultUser = "test-user";

    private readonly Lock _sync = new();
    private readonly TestAuthorizationServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, RegisteredClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedRefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revokedFamilies = new(StringComparer.Ordinal);
    private readonly List<string> _issuedSecrets = [];
    private readonly List<ReceivedResource> _receivedResources = [];
    private readonly List<AuthorizeRequestRecord> _authorizeRequests = [];
    private readonly List<TokenRequestRecord> _tokenRequests = [];
    private readonly Queue<(string Error, string? Description)> _injectedAuthorizeErrors = new();
    private readonly List<InjectedTokenError> _injectedTokenErrors = [];
    private readonly Dictionary<string, PendingDelegation> _pendingDelegations = new(StringComparer.Ordinal);
    private readonly List<DelegatedGrant> _delegatedGrants = [];
    private WebApplication? _app;
    private HttpClient? _upstreamHttp;
    private RegisteredClient? _upstreamClient;
    private int _tokenRequestCount;
    private int _authorizationCodeGrantCount;
    private int _refreshRequestCount;
    private int _registrationCount;
    private int _authorizeRequestCount;
    private int _revocationCount;
    private int _reuseDetectedCount;
    private int _dpopTokenRequestCount;
    private int _clientCredentialsGrantCount;
    private int _tokenExchangeCount;
    private int _jwtBearerGrantCount;

    private TestAuthorizationServer(TestAuthorizationServerOptions options)
    {
        _options = options;
        _timeProvider = options.TimeProvider;
        if (options.IssuerPath.Length > 0 && (!options.IssuerPath.StartsWith('/') || options.IssuerPath.EndsWith('/')))
        {
            throw new ArgumentException("IssuerPath must be empty or start with '/' and not end with '/'.", nameof(options));
        }

        foreach (var client in options.PreRegisteredClients)
        {
            AddPreRegisteredClient(client);
        }
    }

    /// <summary>Base address of the Kestrel host, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Issuer identifier: base address + IssuerPath, no trailing slash.</summary>
    public string Issuer { get; private set; } = "";

    public Uri AuthorizationEndpoint => new(Issuer + "/authorize");

    public Uri TokenEndpoint => new(Issuer + "/token");

    public Uri RegistrationEndpoint => new(Issuer + "/register");

    public Uri RevocationEndpoint => new(Issuer + "/revoke");

    /// <summary>Where a delegating server receives the third party's authorization response.</summary>
    public Uri UpstreamCallbackUri => new(Issuer + "/upstream-callback");

    /// <summary>RFC 8414 metadata URL (path-inserted form).</summary>
    public Uri MetadataUri => new(LoopbackWebHost.Format(BaseUri) + "/.well-known/oauth-authorization-server" + _options.IssuerPath);

    public TestAuthorizationServerOptions Options => _options;

    /// <summary>Holds /token requests while closed (before injected errors and processing).</summary>
    public TokenRequestGate TokenRequestGate { get; } = new();

    public int TokenRequestCount => Volatile.Read(ref _tokenRequestCount);

    public int AuthorizationCodeGrantCount => Volatile.Read(ref _authorizationCodeGrantCount);

    public int RefreshRequestCount => Volatile.Read(ref _refreshRequestCount);

    public int RegistrationCount => Volatile.Read(ref _registrationCount);

    public int AuthorizeRequestCount => Volatile.Read(ref _authorizeRequestCount);

    public int RevocationCount => Volatile.Read(ref _revocationCount);

    /// <summary>How many times a rotated refresh token was presented again (each revoked its family).</summary>
    public int RefreshTokenReuseCount => Volatile.Read(ref _reuseDetectedCount);

    public IReadOnlyList<ReceivedResource> ReceivedResources => Snapshot(_receivedResources);

    public IReadOnlyList<AuthorizeRequestRecord> AuthorizeRequests => Snapshot(_authorizeRequests);

    public IReadOnlyList<TokenRequestRecord> TokenRequests => Snapshot(_tokenRequests);

    public IReadOnlyList<DelegatedGrant> DelegatedGrants => Snapshot(_delegatedGrants);

    /// <summary>Every access token, refresh token, code and client secret this server issued, and every PKCE verifier it received.</summary>
    public IReadOnlyList<string> AllIssuedSecrets => Snapshot(_issuedSecrets);

    public IReadOnlyList<RegisteredClient> RegisteredClients
    {
        get
        {
            lock (_sync)
            {
                return [.. _clients.Values];
            }
        }
    }

    public static async Task<TestAuthorizationServer> StartAsync(
        TestAuthorizationServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var server = new TestAuthorizationServer(options ?? new TestAuthorizationServerOptions());
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Next /authorize (after client and redirect_uri checks) redirects back with this error.</summary>
    public void InjectAuthorizeError(string error, string? description = null)
    {
        lock (_sync)
        {
            _injectedAuthorizeErrors.Enqueue((error, description ?? "Injected by the test."));
        }
    }

    /// <summary>The next <paramref name="times"/> /token requests fail with this error (HTTP 400; 401 for invalid_client, 500/503 for server_error/temporarily_unavailable).</summary>
    public void InjectTokenError(string error, string? description = null, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_sync)
        {
            _injectedTokenErrors.Add(new InjectedTokenError(error, description, times));
        }
    }

    public bool IsAccessTokenValid(string token, [NotNullWhen(true)] out AccessTokenInfo? info)
    {
        lock (_sync)
        {
            if (_accessTokens.TryGetValue(token, out var record)
                && !record.Revoked
                && !_revokedFamilies.Contains(record.FamilyId)
                && record.ExpiresAt > _timeProvider.GetUtcNow())
            {
                info = new AccessTokenInfo(record.Subject, record.ClientId, record.Scopes, record.Resource, record.ExpiresAt) { Jkt = record.Jkt };
                return true;
            }
        }

        info = null;
        return false;
    }

    /// <summary>True while the refresh token would be accepted (not rotated, not revoked, family intact).</summary>
    public bool IsRefreshTokenValid(string token)
    {
        lock (_sync)
        {
            return _refreshTokens.TryGetValue(token, out var record)
                && !record.Rotated
                && !record.Revoked
                && !_revokedFamilies.Contains(record.FamilyId);
        }
    }

    public bool RevokeAccessToken(string token)
    {
        lock (_sync)
        {
            if (_accessTokens.TryGetValue(token, out var record))
            {
                record.Revoked = true;
                return true;
            }

            return false;
        }
    }

    public void RevokeAllAccessTokens()
    {
        lock (_sync)
        {
            foreach (var record in _accessTokens.Values)
            {
                record.Revoked = true;
            }
        }
    }

    /// <summary>Makes every access token issued so far expired (refresh tokens stay valid).</summary>
    public void ExpireAllAccessTokens()
    {
        lock (_sync)
        {
            var past = _timeProvider.GetUtcNow().AddSeconds(-1);
            foreach (var record in _accessTokens.Values)
            {
                record.ExpiresAt = past;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        _upstreamHttp?.Dispose();
        _upstreamHttp = null;
        _signingKey.Dispose();
    }

    public override string ToString() => $"TestAuthorizationServer {{ Issuer = {Issuer} }}";

    /// <summary>Registers a client as an operator would, e.g. once its redirect URI is known.</summary>
    public void AddPreRegisteredClient(PreRegisteredClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var method = client.TokenEndpointAuthMethod ?? (client.ClientSecret is null ? "none" : "client_secret_basic");
        AddClient(new RegisteredClient(
            client.ClientId, client.ClientSecret, client.RedirectUris, client.GrantTypes, method,
            ApplicationType: "web", ClientName: null, DynamicallyRegistered: false));
    }

    /// <summary>Registers a client directly, as an operator would (used by a delegating server toward this one).</summary>
    internal void AddClient(RegisteredClient client)
    {
        lock (_sync)
        {
            _clients[client.ClientId] = client;
            if (client.ClientSecret is not null)
            {
                _issuedSecrets.Add(client.ClientSecret);
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var builder = LoopbackWebHost.CreateBuilder();
        var app = builder.Build();
        _app = app;
        MapMetadata(app);
        MapRegistration(app);
        MapAuthorize(app);
        MapToken(app);
        MapRevocation(app);
        MapDelegation(app);
        MapOpenIdConnect(app);

        BaseUri = await LoopbackWebHost.StartAsync(app, cancellationToken);
        Issuer = LoopbackWebHost.Format(BaseUri) + _options.IssuerPath;
        if (_options.DelegateTo is { } thirdParty)
        {
            RegisterWithThirdParty(thirdParty);
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> source)
    {
        lock (_sync)
        {
            return [.. source];
        }
    }

    private string NewSecretLocked(string prefix)
    {
        var secret = OAuthRandom.NewSecret(prefix);
        _issuedSecrets.Add(secret);
        return secret;
    }

    private static string SubjectOf(HttpContext context)
    {
        var user = context.Request.Headers[UserHeader].ToString();
        return string.IsNullOrEmpty(user) ? DefaultUser : user;
    }
}
