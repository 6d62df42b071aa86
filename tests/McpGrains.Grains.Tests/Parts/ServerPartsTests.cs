using McpGrains.Configuration;
using McpGrains.Grains.Servers;
using McpGrains.OAuth;
using McpGrains.Security;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>The server grain's parts without a cluster: issuer pin, client registration, the shared token.</summary>
public sealed class ServerPartsTests
{
    private const string ServerId = "files";
    private static readonly DiscoveredAuthorizationServer Discovered = new()
    {
        Resource = "https://mcp.example.com/mcp",
        Issuer = "https://as.example.com",
        AuthorizationEndpoint = "https://as.example.com/authorize",
        TokenEndpoint = "https://as.example.com/token",
        RegistrationEndpoint = "https://as.example.com/register",
        Scopes = ["mcp:read"],
    };

    [Fact]
    public async Task IssuerPin_ConfiguredCredentialsArePinnedToTheFirstIssuer_AndAnotherIssuerIsRefused()
    {
        var store = new InMemoryStoredState<McpServerState>();
        var pin = new IssuerPin(ServerId, store, NullLogger.Instance);
        var server = new UpstreamServerOptions { OAuth = { ClientId = "configured" } };

        Assert.Null(await pin.CheckAsync(server, Discovered, CancellationToken.None));
        Assert.Equal(Discovered.Issuer, store.State.PinnedIssuer);
        Assert.Equal(1, store.Writes);

        var moved = await pin.CheckAsync(server, new DiscoveredAuthorizationServer { Issuer = "https://evil.example.com" }, CancellationToken.None);

        Assert.Equal(SessionErrorCodes.IssuerChanged, moved!.Error!.Code);
        Assert.Contains($"McpGrains:Servers:{ServerId}:OAuth:Issuer", moved.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Discovered.Issuer, store.State.PinnedIssuer);
        Assert.Equal(1, store.Writes);
    }

    [Fact]
    public async Task IssuerPin_DynamicRegistrationWithoutAConfiguredIssuerIsNotPinned()
    {
        var store = new InMemoryStoredState<McpServerState>();
        var pin = new IssuerPin(ServerId, store, NullLogger.Instance);

        Assert.Null(await pin.CheckAsync(new UpstreamServerOptions(), Discovered, CancellationToken.None));
        Assert.Null(await pin.CheckAsync(new UpstreamServerOptions(), new DiscoveredAuthorizationServer { Issuer = "https://other.example.com" }, CancellationToken.None));
        Assert.Equal(0, store.Writes);
    }

    [Theory]
    [InlineData(null, "", "none")]
    [InlineData("secret", "", "client_secret_basic")]
    [InlineData("secret", "client_secret_post", "client_secret_post")]
    [InlineData("secret", "client_secret_post client_secret_basic", "client_secret_basic")]
    [InlineData("secret", "private_key_jwt", "client_secret_basic")]
    public void ClientRegistrations_PreRegisteredClientsUseBasicUnlessTheServerOnlyListsPost(string? secret, string supported, string expected) =>
        Assert.Equal(expected, ClientRegistrations.ChoosePreRegisteredAuthMethod(secret, supported.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList()));

    [Fact]
    public async Task ClientRegistrations_ConfiguredCredentialsAreUsedAsTheyAre_WithTheSecretEncrypted_AndNothingStored()
    {
        using var services = new ServiceCollection().AddLogging().AddMcpGrainsOAuthClient().BuildServiceProvider();
        var (options, protector) = Options();
        options.Servers[ServerId] = new UpstreamServerOptions { OAuth = { ClientId = "configured", ClientSecret = "s3cret" } };
        var store = new InMemoryStoredState<McpServerState>();
        var registrations = new ClientRegistrations(ServerId, store, options, protector, services.GetRequiredService<ClientRegistrar>(), TimeProvider.System, NullLogger.Instance);

        var record = await registrations.GetAsync(options.Servers[ServerId], Discovered, CancellationToken.None);

        Assert.Equal("configured", record.ClientId);
        Assert.Equal("client_secret_basic", record.TokenEndpointAuthMethod);
        Assert.Equal("s3cret", protector.Unprotect(record.ProtectedClientSecret!, SecretContexts.ClientSecret(ServerId)));
        Assert.Equal(0, store.Writes);
        Assert.Null(store.State.Registration);
    }

    [Fact]
    public async Task ClientRegistrations_DynamicRegistrationIsMadeOncePerIssuerAndRedirectUri()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync();
        using var services = new ServiceCollection().AddLogging().AddMcpGrainsOAuthClient(o => o.AllowInsecureLoopback = true).BuildServiceProvider();
        var (options, protector) = Options();
        var store = new InMemoryStoredState<McpServerState>();
        var registrations = new ClientRegistrations(ServerId, store, options, protector, services.GetRequiredService<ClientRegistrar>(), TimeProvider.System, NullLogger.Instance);
        var discovered = new DiscoveredAuthorizationServer
        {
            Issuer = authorizationServer.Issuer,
            AuthorizationEndpoint = authorizationServer.AuthorizationEndpoint.ToString(),
            TokenEndpoint = authorizationServer.TokenEndpoint.ToString(),
            RegistrationEndpoint = authorizationServer.RegistrationEndpoint.ToString(),
            Scopes = ["mcp:read"],
        };

        var first = await registrations.GetAsync(new UpstreamServerOptions(), discovered, CancellationToken.None);
        var second = await registrations.GetAsync(new UpstreamServerOptions(), discovered, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, authorizationServer.RegistrationCount);
        Assert.Equal(1, store.Writes);
        Assert.Equal(options.RedirectUri, store.State.Registration!.RedirectUri);
    }

    [Fact]
    public async Task SharedTokenSource_OneTokenWhileFresh_ANewOneWhenDueOrRefused_AndARefusedGrantIsNotAskedAgainAtOnce()
    {
        const string clientId = "mcpgrains-service";
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            PreRegisteredClients = [new PreRegisteredClient { ClientId = clientId, ClientSecret = "service-secret", RedirectUris = [], GrantTypes = ["client_credentials"] }],
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddLogging().AddMcpGrainsOAuthClient(o => o.AllowInsecureLoopback = true).BuildServiceProvider();
        var (_, protector) = Options();
        var store = new InMemoryStoredState<McpServerState>();
        var backoff = TimeSpan.FromSeconds(5);
        var source = new SharedTokenSource(ServerId, store, protector, services.GetRequiredService<TokenClient>(), TimeSpan.FromSeconds(60), backoff, time, NullLogger.Instance);
        var oauth = new UpstreamOAuthOptions { GrantType = UpstreamGrantTypes.ClientCredentials, ClientId = clientId, ClientSecret = "service-secret" };
        var authorization = new ServerAuthorization(
            "https://mcp.example.com/mcp", authorizationServer.Issuer, authorizationServer.AuthorizationEndpoint.ToString(), authorizationServer.TokenEndpoint.ToString(),
            null, clientId, protector.Protect("service-secret", SecretContexts.ClientSecret(ServerId)), TokenEndpointAuthMethods.ClientSecretBasic, ["mcp:read"], true, true);

        var first = await source.GetAsync(oauth, authorization, null, CancellationToken.None);
        var cached = await source.GetAsync(oauth, authorization, null, CancellationToken.None);
        var replaced = await source.GetAsync(oauth, authorization, first.AccessToken, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(59.5));
        var renewed = await source.GetAsync(oauth, authorization, null, CancellationToken.None);

        Assert.Equal(AccessTokenOutcome.Token, first.Outcome);
        Assert.Equal(first.AccessToken, cached.AccessToken);
        Assert.NotEqual(first.AccessToken, replaced.AccessToken);
        Assert.NotEqual(replaced.AccessToken, renewed.AccessToken);
        Assert.Equal(3, authorizationServer.TokenRequestCount);
        Assert.NotNull(store.State.SharedToken);

        authorizationServer.InjectTokenError("invalid_client");
        var refused = await source.GetAsync(oauth, authorization, renewed.AccessToken, CancellationToken.None);
        var notAskedAgain = await source.GetAsync(oauth, authorization, null, CancellationToken.None);

        Assert.Equal(AccessTokenOutcome.Failed, refused.Outcome);
        Assert.Equal(SessionErrorCodes.TokenExchangeFailed, notAskedAgain.Error!.Code);
        Assert.Equal(4, authorizationServer.TokenRequestCount);
        Assert.Null(store.State.SharedToken);
        time.Advance(backoff);
        Assert.Equal(AccessTokenOutcome.Token, (await source.GetAsync(oauth, authorization, null, CancellationToken.None)).Outcome);
    }

    private static (McpGrainsOptions Options, ISecretProtector Protector) Options()
    {
        var options = new McpGrainsOptions { PublicBaseUrl = "https://gw.example.com" };
        return (options, new AesGcmSecretProtector(new KeyRing(SessionHarness.NewKeys("k1"), "k1")));
    }
}
