using System.Security.Cryptography;
using System.Text.Json.Nodes;
using McpGrains.Configuration;
using McpGrains.Grains.Sessions;
using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using McpGrains.Security;
using McpGrains.Telemetry;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>
/// One session's parts wired as the grain wires them, without Orleans: in-memory stores, a stub server grain, recorded
/// reminders and idle timers, the real OAuth client against the project's loopback test servers, a fake clock.
/// </summary>
internal sealed class SessionHarness : IUpstreamEventSink, IDisposable
{
    public const string ServerId = "files";
    public const string PublicBaseUrl = "https://gw.example.com";
    public static readonly McpSessionKey Key = new("host", "alice", ServerId);

    private readonly ServiceProvider _services;

    private SessionHarness(McpGrainsOptions options, FakeTimeProvider time, ServerAuthorizationResult server, KeyRing? keyRing, Func<HttpMessageHandler>? upstreamHandler)
    {
        Options = options;
        Time = time;
        var upstream = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddLogging()
            .AddMcpGrainsMetrics()
            .AddMcpGrainsOAuthClient(o => o.AllowInsecureLoopback = true)
            .AddHttpClient(UpstreamHttp.ClientName).AddUpstreamAddressGuard();
        if (upstreamHandler is not null)
        {
            // An https upstream whose certificate only the test trusts: its own handler instead of the guarded pool.
            upstream.ConfigurePrimaryHttpMessageHandler(upstreamHandler);
        }

        _services = upstream.Services.BuildServiceProvider();
        KeyRing = keyRing ?? new KeyRing(NewKeys("k1"), "k1");
        Protector = new AesGcmSecretProtector(KeyRing);
        ServerGrain = new StubServerGrain(server);
        Services = new SessionServices(
            Microsoft.Extensions.Options.Options.Create(options),
            KeyRing,
            Protector,
            new AuthorizationStateCodec(KeyRing),
            new SignInTicketCodec(KeyRing),
            _services,
            _services.GetRequiredService<IHttpMessageHandlerFactory>(),
            NullLoggerFactory.Instance,
            time);
        Parts = Build();
    }

    public McpGrainsOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public KeyRing KeyRing { get; }

    public ISecretProtector Protector { get; }

    public SessionServices Services { get; }

    public StubServerGrain ServerGrain { get; }

    public InMemoryStoredState<McpSessionState> State { get; } = new();

    public InMemoryStoredState<SessionDataKeyState> DataKey { get; } = new();

    public RecordingReminders Reminders { get; } = new();

    /// <summary>Periods of the idle timers started, and whether each is still running.</summary>
    public List<IdleTimer> IdleTimers { get; } = [];

    /// <summary>Elicitation ids of sign-ins reported completed to downstream clients.</summary>
    public List<string> Completed { get; } = [];

    public SessionParts Parts { get; private set; }

    public static SessionHarness Create(Action<McpGrainsOptions>? configure = null, ServerAuthorizationResult? server = null, FakeTimeProvider? time = null, KeyRing? keyRing = null, Func<HttpMessageHandler>? upstreamHandler = null)
    {
        var options = new McpGrainsOptions
        {
            PublicBaseUrl = PublicBaseUrl,
            Security = { AllowInsecureLoopback = true },
        };
        options.Servers[ServerId] = new UpstreamServerOptions { Url = "http://127.0.0.1:9/mcp" };
        configure?.Invoke(options);
        return new SessionHarness(options, time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)), server ?? ServerAuthorizationResult.NotRequired, keyRing, upstreamHandler);
    }

    /// <summary>Random master keys by id.</summary>
    public static Dictionary<string, string> NewKeys(params string[] keyIds) =>
        keyIds.ToDictionary(id => id, _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyRing.KeySizeBytes)), StringComparer.Ordinal);

    /// <summary>The public client pre-registered at <see cref="StartAuthorizationServerAsync"/>'s server.</summary>
    public const string ClientId = "mcpgrains-parts";

    /// <summary>The project's OAuth server on loopback, with <see cref="ClientId"/> registered for McpGrains' redirect URI.</summary>
    public static Task<TestAuthorizationServer> StartAuthorizationServerAsync() => TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
    {
        PreRegisteredClients = [new PreRegisteredClient { ClientId = ClientId, RedirectUris = [PublicBaseUrl + "/oauth/callback"] }],
    });

    /// <summary>What the server grain hands sessions for <paramref name="authorizationServer"/> and a public client registered there.</summary>
    public static ServerAuthorization AuthorizationFor(TestAuthorizationServer authorizationServer, string clientId, string resource) => new(
        resource,
        authorizationServer.Issuer,
        authorizationServer.AuthorizationEndpoint.ToString(),
        authorizationServer.TokenEndpoint.ToString(),
        authorizationServer.RevocationEndpoint.ToString(),
        clientId,
        ProtectedClientSecret: null,
        TokenEndpointAuthMethods.None,
        ["mcp:read", "offline_access"],
        IssParameterSupported: true,
        SendResource: true);

    /// <summary>A new activation over the same stored state (the parts keep nothing else).</summary>
    public SessionParts Reactivate() => Parts = Build();

    /// <summary>
    /// The whole browser sign-in without a front end: begin, Continue on the confirmation page, the browser at the
    /// authorization server, and the callback delivered to the flow.
    /// </summary>
    public async Task<CallbackResult> SignInAsync(TestBrowser browser, string user = TestAuthorizationServer.DefaultUser)
    {
        var authorization = ServerGrain.Authorization.Authorization!;
        var begun = await Parts.Flow.BeginAsync(authorization, "https://chat.example.com/", CancellationToken.None);
        Assert.Equal(AuthorizeOutcome.AuthorizationRequired, begun.Outcome);
        var ticket = begun.AuthorizationUrl![(begun.AuthorizationUrl!.LastIndexOf('/') + 1)..];
        Assert.True(Services.TicketCodec.TryUnprotect(ticket, out var flow), "the sign-in ticket did not open");
        var binding = Guid.NewGuid().ToString("N");
        var continuation = await Parts.SignIn.ContinueAsync(new SignInRequest(Key, flow!.FlowId, binding), CancellationToken.None);
        Assert.Equal(SignInOutcome.Ready, continuation.Outcome);
        var callback = await browser.FollowToAsync(continuation.AuthorizationUrl!, new Uri(Options.RedirectUri), user);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        return await Parts.Flow.CompleteAsync(new AuthorizationCallback(Key, flow.FlowId, query["code"], query["iss"], query["error"], query["error_description"], binding), CancellationToken.None);
    }

    public bool OnNotification(JsonRpcNotification notification) => true;

    public Task<UpstreamResult> OnServerRequestAsync(string method, JsonNode? parameters, InFlightCall? call, CancellationToken cancellationToken) =>
        Task.FromResult(SessionEventRelay.Decline(method));

    public void Dispose() => _services.Dispose();

    private SessionParts Build() => new(
        Key,
        Services,
        NullLogger.Instance,
        State,
        DataKey,
        ServerGrain,
        Reminders,
        this,
        id =>
        {
            Completed.Add(id);
            return Task.CompletedTask;
        },
        period =>
        {
            var timer = new IdleTimer(period);
            IdleTimers.Add(timer);
            return timer;
        },
        () => _services.GetRequiredService<McpGrainsMetrics>());

    internal sealed class IdleTimer(TimeSpan period) : IDisposable
    {
        public TimeSpan Period { get; } = period;

        public bool Running { get; private set; } = true;

        public void Dispose() => Running = false;
    }
}
