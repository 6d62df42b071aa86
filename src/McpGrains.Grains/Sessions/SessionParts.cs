using McpGrains.Grains.Upstream;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One session's parts, wired: everything but Orleans itself, which the grain brings as the stores, the server grain,
/// reminders, the upstream event sink and the idle timer. Each part has one job and is built only from the parts
/// below it.
/// </summary>
internal sealed class SessionParts
{
    /// <param name="startIdleTimer">Calls <see cref="UpstreamSession.CloseIfIdleAsync"/> in the exclusive section every given period, until disposed.</param>
    /// <param name="authorizationCompleted">Tells the user's downstream clients that the sign-in with this elicitation id completed.</param>
    public SessionParts(
        McpSessionKey key,
        SessionServices services,
        ILogger logger,
        IStoredState<McpSessionState> state,
        IStoredState<SessionDataKeyState> dataKey,
        IMcpServerGrain serverGrain,
        ISessionReminders reminders,
        IUpstreamEventSink sink,
        Func<string, Task> authorizationCompleted,
        Func<TimeSpan, IDisposable> startIdleTimer,
        Func<McpGrainsMetrics> metrics)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.Options;
        Context = new SessionContext(key, options, services.Time, logger, new SessionMetrics(key, metrics, services.Time));
        Record = new SessionRecord(key, state);
        Exclusive = new ExclusiveSection(Context.Server.AllowPrivateNetwork);
        Vault = new SessionVault(Context, dataKey, Record, services.Protector, services.KeyRing);
        Server = new ServerAuthorizationSource(serverGrain, services.Time);
        RefreshSchedule = new ProactiveRefreshSchedule(Record, options.Authorization, reminders);
        Endpoint = new SessionTokenEndpoint(Context, Record, Vault, services.TokenClient, Server);
        Assertions = new IdentityAssertionGrant(Context, Record, Vault, Endpoint, RefreshSchedule);
        Tokens = new SessionTokens(Context, Record, Vault, Endpoint, Assertions, Server, RefreshSchedule);
        Verification = new HostVerification(Context, Record, Endpoint, services.KeyRing, reminders, RefreshSchedule, authorizationCompleted);
        Flow = new AuthorizationFlow(Context, Record, Vault, Endpoint, Server, Verification, RefreshSchedule, services.StateCodec, services.TicketCodec, authorizationCompleted);
        SignIn = new SignInPage(Context, Record, Vault);
        Upstream = new UpstreamSession(Context, services.HandlerFactory, services.LoggerFactory, sink, startIdleTimer);
        Connector = new SessionConnector(Context, Record, Vault, Server, Tokens, Assertions, Flow, Endpoint, Upstream, RefreshSchedule, Verification);
        var challenges = new UpstreamChallenges(Context, Record, Upstream, Server, Tokens, Connector, Flow, StepUps, RefreshSchedule);
        Calls = new UpstreamCalls(Context, Record, Exclusive, Upstream, Vault, Tokens, Server, challenges);
    }

    public SessionContext Context { get; }

    public SessionRecord Record { get; }

    public ExclusiveSection Exclusive { get; }

    public SessionVault Vault { get; }

    public ServerAuthorizationSource Server { get; }

    public ProactiveRefreshSchedule RefreshSchedule { get; }

    public SessionTokenEndpoint Endpoint { get; }

    public IdentityAssertionGrant Assertions { get; }

    public SessionTokens Tokens { get; }

    public HostVerification Verification { get; }

    public AuthorizationFlow Flow { get; }

    public SignInPage SignIn { get; }

    public SessionConnector Connector { get; }

    public UpstreamSession Upstream { get; }

    public StepUpPolicy StepUps { get; } = new();

    public UpstreamCalls Calls { get; }
}
