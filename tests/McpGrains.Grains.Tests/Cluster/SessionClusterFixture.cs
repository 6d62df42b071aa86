using System.Security.Cryptography;
using McpGrains.Security;
using McpGrains.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// A 2-silo TestCluster configured like the host, one OAuth-protected MCP server ("protected") and one open MCP
/// server ("open") on loopback, a shared fake clock and the state codec the front end uses.
/// </summary>
public class SessionClusterFixture : IAsyncLifetime
{
    public const string Tenant = "host-a";
    public const string ProtectedServerId = "protected";
    public const string OpenServerId = "open";
    public const string ThirdPartyServerId = "third-party";
    public const string PreRegisteredServerId = "pre-registered";
    public const string FlakyServerId = "flaky";
    public const string ScopedServerId = "scoped";
    public const string PreRegisteredClientId = "mcpgrains-pre";
    public const string PreRegisteredClientSecret = "pre-registered-secret-0123456789";
    public const string PublicBaseUrl = "http://127.0.0.1:5999";

    public TestCluster Cluster { get; private set; } = null!;

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer ProtectedServer { get; private set; } = null!;

    public ProtectedMcpServer OpenServer { get; private set; } = null!;

    /// <summary>The third-party authorization server the "third-party" server's own authorization server sends users to.</summary>
    public TestAuthorizationServer ThirdPartyAuthorizationServer { get; private set; } = null!;

    /// <summary>The "third-party" MCP server's own authorization server, which delegates sign-in.</summary>
    public TestAuthorizationServer DelegatingAuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer ThirdPartyServer { get; private set; } = null!;

    /// <summary>No dynamic registration; sends <c>expires_in</c> as a string, as Microsoft Entra does.</summary>
    public TestAuthorizationServer PreRegisteredAuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer PreRegisteredServer { get; private set; } = null!;

    /// <summary>A proxy in front of <see cref="OpenServer"/> that tests take down and bring back ("flaky" server).</summary>
    public ToggleableTcpProxy FlakyProxy { get; private set; } = null!;

    /// <summary>Sign-in asks for mcp:read only; its <c>gather</c> tool needs mcp:write as well (403, then step-up).</summary>
    public ProtectedMcpServer ScopedServer { get; private set; } = null!;

    public FakeTimeProvider Clock { get; private set; } = null!;

    public AuthorizationStateCodec StateCodec { get; private set; } = null!;

    public SignInTicketCodec TicketCodec { get; private set; } = null!;

    /// <summary>Opens the flow ids of binding mode host-verification (what the confirm endpoint does).</summary>
    public VerificationFlowCodec VerificationFlowCodec { get; private set; } = null!;

    /// <summary>The binding secret of the browser that continued each flow, by flow id (what its sign-in cookie holds).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _bindings = new(StringComparer.Ordinal);

    public TestBrowser Browser { get; } = new();

    public Uri RedirectUri => new($"{PublicBaseUrl}/oauth/callback");

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var (clockId, clock) = TestClocks.Create();
        Clock = clock;
        AuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { TimeProvider = clock });
        ProtectedServer = await ProtectedMcpServer.StartAsync(AuthorizationServer, new ProtectedMcpServerOptions { HoldRespondCalls = true });
        OpenServer = await ProtectedMcpServer.StartUnprotectedAsync();
        FlakyProxy = ToggleableTcpProxy.Start(OpenServer.McpUri);
        ScopedServer = await ProtectedMcpServer.StartAsync(AuthorizationServer, new ProtectedMcpServerOptions
        {
            ScopesSupported = ["mcp:read"],
            ToolRequiredScopes = new Dictionary<string, IReadOnlyList<string>> { ["gather"] = ["mcp:write"] },
        });
        ThirdPartyAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { TimeProvider = clock });
        DelegatingAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { TimeProvider = clock, DelegateTo = ThirdPartyAuthorizationServer });
        ThirdPartyServer = await ProtectedMcpServer.StartAsync(DelegatingAuthorizationServer);
        PreRegisteredAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            TimeProvider = clock,
            SupportsDynamicRegistration = false,
            ExpiresInAsString = true,
            PreRegisteredClients = [new PreRegisteredClient { ClientId = PreRegisteredClientId, ClientSecret = PreRegisteredClientSecret, RedirectUris = [RedirectUri.ToString()] }],
        });
        PreRegisteredServer = await ProtectedMcpServer.StartAsync(PreRegisteredAuthorizationServer);

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        StateCodec = new AuthorizationStateCodec(new KeyRing(new Dictionary<string, string> { ["k1"] = key }, "k1"));
        TicketCodec = new SignInTicketCodec(new KeyRing(new Dictionary<string, string> { ["k1"] = key }, "k1"));
        VerificationFlowCodec = new VerificationFlowCodec(new KeyRing(new Dictionary<string, string> { ["k1"] = key }, "k1"));
        var settings = new Dictionary<string, string?>
        {
            [TestClocks.ConfigurationKey] = clockId,
            ["McpGrains:PublicBaseUrl"] = PublicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = key,
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            ["McpGrains:HostApps:" + Tenant + ":ApiKey"] = "host-a-key-0123456789abcdef",
            ["McpGrains:Servers:" + ProtectedServerId + ":Url"] = ProtectedServer.McpUri.ToString(),
            ["McpGrains:Servers:" + OpenServerId + ":Url"] = OpenServer.McpUri.ToString(),
            ["McpGrains:Servers:" + FlakyServerId + ":Url"] = FlakyProxy.Rewrite(OpenServer.McpUri).ToString(),
            ["McpGrains:Servers:" + FlakyServerId + ":Transport"] = "streamable-http",
            ["McpGrains:Servers:" + ThirdPartyServerId + ":Url"] = ThirdPartyServer.McpUri.ToString(),
            ["McpGrains:Servers:" + ScopedServerId + ":Url"] = ScopedServer.McpUri.ToString(),
            ["McpGrains:Servers:" + PreRegisteredServerId + ":Url"] = PreRegisteredServer.McpUri.ToString(),
            ["McpGrains:Servers:" + PreRegisteredServerId + ":OAuth:ClientId"] = PreRegisteredClientId,
            ["McpGrains:Servers:" + PreRegisteredServerId + ":OAuth:ClientSecret"] = PreRegisteredClientSecret,
            ["McpGrains:Servers:" + PreRegisteredServerId + ":OAuth:Scopes"] = "mcp:read offline_access",
            ["McpGrains:Servers:" + PreRegisteredServerId + ":OAuth:AuthorizationEndpoint"] = PreRegisteredAuthorizationServer.AuthorizationEndpoint + "?pinned=yes",
        };

        await AddServersAsync(settings);
        Configure(settings);
        var builder = new TestClusterBuilder(2);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        builder.AddClientBuilderConfigurator<TestClientConfigurator>();
        Cluster = builder.Build();
        using var reminders = new ReminderServiceReadiness();
        await Cluster.DeployAsync();
        await reminders.WaitAsync(Cluster, TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Proactive refresh is off here: its reminder would refresh sessions in the middle of other tests. Tests that need
    /// a reminder deliver its tick themselves (the reminder service runs on real time, see TestSiloConfigurator).
    /// </summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
        settings["McpGrains:Authorization:ProactiveRefresh"] = "false";
    }

    /// <summary>Starts the extra servers a derived fixture needs (on <see cref="Clock"/>) and adds their settings.</summary>
    protected virtual Task AddServersAsync(Dictionary<string, string?> settings) => Task.CompletedTask;

    /// <summary>Stops what <see cref="AddServersAsync"/> started, after the cluster.</summary>
    protected virtual ValueTask DisposeServersAsync() => ValueTask.CompletedTask;

    public IMcpSessionGrain Session(McpSessionKey key) => Grains.GetGrain<IMcpSessionGrain>(key.Format());

    public static McpSessionKey NewKey(string serverId = ProtectedServerId, string tenant = Tenant) =>
        new(tenant, "user-" + Guid.NewGuid().ToString("N")[..12], serverId);

    /// <summary>The flow a sign-in link names (what the front end's confirmation page opens).</summary>
    public (McpSessionKey Key, AuthorizationState Flow) OpenTicket(string signInLink)
    {
        Assert.StartsWith(PublicBaseUrl + "/oauth/start/", signInLink, StringComparison.Ordinal);
        Assert.True(TicketCodec.TryUnprotect(signInLink[(signInLink.LastIndexOf('/') + 1)..], out var flow), "the ticket did not open");
        return (McpSessionKey.Parse(flow!.SessionKey), flow);
    }

    /// <summary>
    /// What Continue on the confirmation page does, for a browser holding <paramref name="browserBinding"/> (a new
    /// one by default): the grain binds the flow and answers the authorization server URL.
    /// </summary>
    public async Task<Uri> ContinueAsync(string signInLink, string? browserBinding = null)
    {
        var (key, flow) = OpenTicket(signInLink);
        var binding = browserBinding ?? Guid.NewGuid().ToString("N");
        var continuation = await Session(key).ContinueSignInAsync(new SignInRequest(key, flow.FlowId, binding));
        Assert.True(continuation.Outcome == SignInOutcome.Ready, $"Continue was refused: {continuation.Outcome}");
        _bindings[flow.FlowId] = binding;
        return new Uri(continuation.AuthorizationUrl!);
    }

    /// <summary>Continue, then the browser at the authorization server: the callback URL (not delivered).</summary>
    public async Task<Uri> SignInAsync(string signInLink, string user = TestAuthorizationServer.DefaultUser) =>
        await Browser.FollowToAsync((await ContinueAsync(signInLink)).ToString(), RedirectUri, user);

    /// <summary>
    /// What the front end's callback does: open the state and hand the response to the owning grain, with the binding
    /// secret of the browser that continued the flow (or <paramref name="browserBinding"/>: another browser's).
    /// </summary>
    public async Task<CallbackResult> DeliverCallbackAsync(Uri callback, string? browserBinding = null)
    {
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.True(StateCodec.TryUnprotect(query["state"], out var state), "the state value did not open");
        var key = McpSessionKey.Parse(state!.SessionKey);
        return await Session(key).CompleteAuthorizationAsync(
            new AuthorizationCallback(key, state.FlowId, query["code"], query["iss"], query["error"], query["error_description"], browserBinding ?? _bindings.GetValueOrDefault(state.FlowId)));
    }

    /// <summary>Authorize, continue, play the browser, deliver the callback: a connected session.</summary>
    public async Task ConnectAsync(McpSessionKey key, string user = TestAuthorizationServer.DefaultUser)
    {
        var authorize = await Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        Assert.True(authorize.Outcome == AuthorizeOutcome.AuthorizationRequired, authorize.Error?.Message);
        var callback = await SignInAsync(authorize.AuthorizationUrl!, user);
        var result = await DeliverCallbackAsync(callback);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        Browser.Dispose();
        await DisposeServersAsync();
        await FlakyProxy.DisposeAsync();
        await ScopedServer.DisposeAsync();
        await OpenServer.DisposeAsync();
        await ThirdPartyServer.DisposeAsync();
        await DelegatingAuthorizationServer.DisposeAsync();
        await ThirdPartyAuthorizationServer.DisposeAsync();
        await PreRegisteredServer.DisposeAsync();
        await PreRegisteredAuthorizationServer.DisposeAsync();
        await ProtectedServer.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }
}
