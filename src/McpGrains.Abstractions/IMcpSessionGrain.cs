using McpGrains.Downstream;
using Orleans.Concurrency;

namespace McpGrains;

/// <summary>
/// One per (tenant, user, server), keyed by <see cref="McpSessionKey.Format"/>. Owns that pair's OAuth state machine,
/// its tokens and its live upstream connection. Its transitions serialize, which makes refresh single-flight across the
/// cluster; only <see cref="SendAsync"/> interleaves, so that one user's calls share the live connection concurrently.
/// </summary>
[Alias("McpGrains.IMcpSessionGrain")]
public interface IMcpSessionGrain : IGrainWithStringKey
{
    [Alias("GetConnectionAsync")]
    Task<ConnectionInfo> GetConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>Connected already, or persists a pending authorization and returns the sign-in link to send the user to.</summary>
    [Alias("AuthorizeAsync")]
    Task<AuthorizeResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes (or fails) the pending authorization with the authorization server's response. A response delivered
    /// by a browser other than the one that pressed Continue is refused without consuming the flow.
    /// </summary>
    [Alias("CompleteAuthorizationAsync")]
    Task<CallbackResult> CompleteAuthorizationAsync(AuthorizationCallback callback, CancellationToken cancellationToken = default);

    /// <summary>What the sign-in confirmation page shows about the flow a ticket names, for the browser that opened it.</summary>
    [Alias("DescribeSignInAsync")]
    Task<SignInDescription> DescribeSignInAsync(SignInRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Continue on the confirmation page: the first browser to continue claims the flow (only the hash of its binding
    /// secret is kept); the same browser may continue again, any other is refused. Answers the authorization URL.
    /// </summary>
    [Alias("ContinueSignInAsync")]
    Task<SignInContinuation> ContinueSignInAsync(SignInRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancel on the confirmation page: ends the flow unless another browser has claimed it.</summary>
    [Alias("CancelSignInAsync")]
    Task<SignInOutcome> CancelSignInAsync(SignInRequest request, CancellationToken cancellationToken = default);

    /// <summary>A usable access token, refreshed first when it is within the configured skew of expiry.</summary>
    [Alias("GetAccessTokenAsync")]
    Task<AccessTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Forwards one MCP request over the session's live upstream connection, opening it on demand with the current
    /// access token. Without authorization the result carries where the user must go. Interleaves with other calls:
    /// the grain serializes the token and connection work itself and overlaps only the requests in flight upstream.
    /// </summary>
    [Alias("SendAsync"), AlwaysInterleave]
    Task<UpstreamResult> SendAsync(UpstreamRequest request, CancellationToken cancellationToken = default);

    /// <summary>Registers (or renews) a front end's observer; registrations lapse unless renewed.</summary>
    [Alias("SubscribeAsync")]
    Task SubscribeAsync(IMcpSessionObserver observer, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default);

    [Alias("UnsubscribeAsync")]
    Task UnsubscribeAsync(IMcpSessionObserver observer, CancellationToken cancellationToken = default);

    /// <summary>
    /// The pending authorization to show the user, begun now if none is valid (its confirmation page naming
    /// <paramref name="userLabel"/>, else the user id; in binding mode oidc, for <paramref name="identity"/>); null when connected.
    /// </summary>
    [Alias("GetPendingAuthorizationAsync")]
    Task<PendingAuthorizationInfo?> GetPendingAuthorizationAsync(string? userLabel, string? identity = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binding mode host-verification: the host app confirms, for the user signed in there, the flow whose tokens
    /// await confirmation. The session's own user binds them; any other user discards and revokes them.
    /// </summary>
    [Alias("ConfirmAuthorizationAsync")]
    Task<ConfirmationResult> ConfirmAuthorizationAsync(AuthorizationConfirmation confirmation, CancellationToken cancellationToken = default);

    /// <summary>Re-wraps the connection's data key under the active master key (after a rotation); true when it changed anything.</summary>
    [Alias("RewrapSecretsAsync")]
    Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A downstream client's answer (a JSON-RPC response, raw) to a server-to-client request McpGrains sent it, arriving
    /// on any front end; true when a request was waiting for it.
    /// </summary>
    [Alias("DeliverClientResponseAsync"), AlwaysInterleave]
    Task<bool> DeliverClientResponseAsync(string? sessionHash, string requestId, string responseJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers (or renews) a downstream session for this key's upstream notifications; registrations lapse unless
    /// renewed. True when the connection is connected now (a session that saw a sign-in prompt completes it then).
    /// </summary>
    [Alias("AttachDownstreamAsync"), AlwaysInterleave]
    Task<bool> AttachDownstreamAsync(string sessionHash, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default);

    [Alias("DetachDownstreamAsync"), AlwaysInterleave]
    Task DetachDownstreamAsync(string sessionHash, CancellationToken cancellationToken = default);

    /// <summary>Registers (or renews) a 2026-07-28 <c>subscriptions/listen</c> stream; registrations lapse unless renewed.</summary>
    [Alias("ListenAsync"), AlwaysInterleave]
    Task ListenAsync(DownstreamListener listener, CancellationToken cancellationToken = default);

    [Alias("StopListeningAsync"), AlwaysInterleave]
    Task StopListeningAsync(IDownstreamEndpoint endpoint, long callId, CancellationToken cancellationToken = default);

    /// <summary>Revokes (where offered) and forgets the tokens and any pending authorization.</summary>
    [Alias("DisconnectAsync")]
    Task DisconnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Account deletion: disconnects (revokes where offered, forgets tokens and any pending authorization, destroys the
    /// data key, deletes the stored state) and ends the activation, so nothing about the user stays in memory either.
    /// </summary>
    [Alias("ForgetAsync")]
    Task ForgetAsync(CancellationToken cancellationToken = default);
}
