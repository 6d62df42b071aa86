using McpGrains.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// A (user, server)'s live connection to its upstream: one MCP client as negotiated (or as pinned), and, when a
/// downstream client of the other protocol family calls, a second one of that family. A session client
/// (2025-11-25 and earlier) is served over an upstream session, so session-only methods (logging level, resource
/// subscriptions) and server requests during a call work as they would directly; a 2026-07-28 client is served over
/// stateless requests that carry its own capabilities, so the upstream asks it what it can answer and its
/// input-required results pass through. There is still at most one upstream session: the 2026-07-28 family has none.
/// REST calls use the first client.
/// </summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    private const string SessionRevision = "2025-11-25";
    private const string StatelessRevision = "2026-07-28";

    private readonly UpstreamClient _primary;
    private readonly Func<string, CancellationToken, Task<UpstreamClient>>? _connectOther;
    private readonly SemaphoreSlim _otherLock = new(1, 1);
    private UpstreamClient? _other;
    private bool _otherUnavailable;

    // Never disposed: it holds no timer, and a call that took the connection just before it closed may still link to it.
    private readonly CancellationTokenSource _closing = new();

    private UpstreamConnection(UpstreamClient primary, Func<string, CancellationToken, Task<UpstreamClient>>? connectOther)
    {
        _primary = primary;
        _connectOther = connectOther;
    }

    public string? SessionId => _primary.SessionId ?? _other?.SessionId;

    public string? ProtocolVersion => _primary.ProtocolVersion;

    /// <summary>Completes when the first client's transport closes (server gone, stream ended).</summary>
    public Task Completion => _primary.Completion;

    /// <summary>Cancelled when the connection starts closing: a call's token linked to it ends the call in flight.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>
    /// Connects the first client: at <paramref name="protocolVersion"/> when the server's configuration pins one (and
    /// then never a second), else at the version the server negotiates.
    /// </summary>
    public static async Task<UpstreamConnection> ConnectAsync(
        UpstreamTarget target,
        string? protocolVersion,
        UpstreamCredentials credentials,
        Func<HttpMessageHandler> handlers,
        IUpstreamEventSink sink,
        ILoggerFactory loggerFactory,
        UpstreamExchange exchange,
        CancellationToken cancellationToken)
    {
        Task<UpstreamClient> Connect(string? version, CancellationToken ct) =>
            UpstreamClient.ConnectAsync(target, version, credentials, handlers(), sink, loggerFactory, ct);

        // What the server answers the handshake about the token is recorded on this attempt's own exchange.
        exchange.MakeCurrent();
        var pinned = !string.IsNullOrWhiteSpace(protocolVersion);
        var primary = await Connect(pinned ? protocolVersion : null, cancellationToken);
        return new UpstreamConnection(primary, pinned || target.Transport == Configuration.UpstreamTransports.Sse ? null : Connect);
    }

    /// <summary>
    /// Sends one request (params as JSON text); the result comes back as the server wrote it, a JSON-RPC error as a failed result.
    /// What the server answered about the token (also while connecting the other family's client for it) is recorded
    /// on <paramref name="exchange"/>, this call's alone.
    /// </summary>
    public async Task<UpstreamResult> SendAsync(string method, string? paramsJson, InFlightCall? call, UpstreamExchange exchange, CancellationToken cancellationToken)
    {
        exchange.MakeCurrent();
        var client = call is null || call.Caller.IsStateless == _primary.IsStateless || _connectOther is null || _otherUnavailable
            ? _primary
            : await OtherAsync(call.Caller.IsStateless, cancellationToken);
        return await client.SendAsync(method, paramsJson, call, cancellationToken);
    }

    /// <summary>The client of the other family, connected on first use; the first client when the upstream has no such family.</summary>
    private async Task<UpstreamClient> OtherAsync(bool stateless, CancellationToken cancellationToken)
    {
        if (_other is { } live && !live.Completion.IsCompleted)
        {
            return live;
        }

        await _otherLock.WaitAsync(cancellationToken);
        try
        {
            if (_other is { } current && !current.Completion.IsCompleted)
            {
                return current;
            }

            if (_other is not null)
            {
                await _other.DisposeAsync();
                _other = null;
            }

            try
            {
                _other = await _connectOther!(stateless ? StatelessRevision : SessionRevision, cancellationToken);
                return _other;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The upstream speaks only one family (or refused this one): every client shares the first.
                _otherUnavailable = true;
                return _primary;
            }
        }
        finally
        {
            _otherLock.Release();
        }
    }

    /// <summary>Closing without a bound of its own waits this long at most (see <see cref="CloseAsync"/>).</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);

    public ValueTask DisposeAsync() => new(CloseAsync(DefaultCloseTimeout));

    /// <summary>
    /// Ends the upstream session (Streamable HTTP: DELETE) and releases both clients, within <paramref name="timeout"/>
    /// for the two together: an upstream that never answers cannot hold the caller longer.
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        await _closing.CancelAsync();
        try
        {
            await Task.WhenAll(_other is { } other ? other.CloseAsync(timeout) : Task.CompletedTask, _primary.CloseAsync(timeout));
        }
        finally
        {
            _otherLock.Dispose();
        }
    }
}
