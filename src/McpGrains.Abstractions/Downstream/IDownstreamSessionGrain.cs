using Orleans.Concurrency;

namespace McpGrains.Downstream;

/// <summary>
/// One downstream MCP session (one <c>Mcp-Session-Id</c>), keyed by <see cref="DownstreamSessionIds.Hash"/> of the
/// session id: the id itself is a bearer-like secret and never a key or a log value. Holds what any front end needs to
/// serve the session (the bound host app, user and server, the negotiated revision, the client's capabilities and
/// info; persisted at initialize) and a bounded buffer of the server-to-client messages of its GET stream, with event
/// ids, so that a stream re-opened on any front end with <c>Last-Event-ID</c> receives what it missed.
/// </summary>
[Alias("McpGrains.IDownstreamSessionGrain")]
public interface IDownstreamSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a new session (initialize); persisted before the session id leaves the front end. Null when started, else
    /// the cap of the host app's <see cref="IDownstreamSessionQuotaGrain"/> that refused it (nothing is recorded).
    /// </summary>
    [Alias("StartAsync")]
    Task<DownstreamSessionLimit?> StartAsync(DownstreamSessionInfo info, CancellationToken cancellationToken = default);

    /// <summary>
    /// The session, or null when it never existed, was deleted or expired. Counts as use (idle expiry). A front end
    /// that caches the answer passes its endpoint: it is told when the session ends.
    /// </summary>
    [Alias("ResolveAsync")]
    Task<DownstreamSessionInfo?> ResolveAsync(IDownstreamEndpoint? cachingEndpoint, CancellationToken cancellationToken = default);

    /// <summary>Ends the session (DELETE or expiry); true when there was one.</summary>
    [Alias("EndAsync")]
    Task<bool> EndAsync(CancellationToken cancellationToken = default);

    /// <summary>Buffers one server-to-client message (a JSON-RPC notification or request) for the session's GET stream.</summary>
    [OneWay]
    [Alias("OnMessageAsync")]
    Task OnMessageAsync(string messageJson);

    /// <summary>The user finished a sign-in: completes the URL elicitation this session was given and announces the lists.</summary>
    [OneWay]
    [Alias("OnAuthorizationCompletedAsync")]
    Task OnAuthorizationCompletedAsync(string elicitationId);

    /// <summary>This session's client was given a URL elicitation (-32042) for a sign-in.</summary>
    [OneWay]
    [Alias("RecordElicitationAsync")]
    Task RecordElicitationAsync(string elicitationId);

    /// <summary>
    /// The GET stream's next messages after <paramref name="lastEventId"/> (null: those not yet delivered to any stream).
    /// The first poll of a stream (<paramref name="attach"/>) answers at once and takes the session's stream over (an
    /// earlier stream's polls answer <see cref="DownstreamStreamStatus.Superseded"/>); later polls wait up to
    /// <see cref="DownstreamEvents.PollWait"/> for a message.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:01:30")]
    [Alias("PollAsync")]
    Task<DownstreamEvents> PollAsync(Guid streamId, string? lastEventId, bool attach, CancellationToken cancellationToken = default);
}
