using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The (user, server)'s one live upstream MCP connection: opened on demand with the token it is handed, shared by all
/// of the user's downstream sessions, closed when idle, and spaced out by <see cref="ReconnectPolicy"/> (backoff, then a
/// circuit breaker) when connecting fails. What the token means for the OAuth state is not its business: it reports a
/// token refused while connecting and leaves the rest to its caller.
/// </summary>
internal sealed class UpstreamSession
{
    private readonly SessionContext _context;
    private readonly IHttpMessageHandlerFactory _handlers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IUpstreamEventSink _sink;
    private readonly Func<TimeSpan, IDisposable> _startIdleTimer;
    private readonly ReconnectPolicy _reconnect;
    private IDisposable? _idleTimer;
    private DateTimeOffset _lastUsed;

    /// <summary>Requests in flight upstream: an idle check leaves a busy connection alone.</summary>
    private int _inFlight;

    /// <param name="startIdleTimer">Starts calling <see cref="CloseIfIdleAsync"/> every given period (in the exclusive section) until disposed.</param>
    public UpstreamSession(SessionContext context, IHttpMessageHandlerFactory handlers, ILoggerFactory loggerFactory, IUpstreamEventSink sink, Func<TimeSpan, IDisposable> startIdleTimer)
    {
        _context = context;
        _handlers = handlers;
        _loggerFactory = loggerFactory;
        _sink = sink;
        _startIdleTimer = startIdleTimer;
        var upstream = context.Options.Upstream;
        _reconnect = new ReconnectPolicy(upstream.ReconnectBaseDelay, upstream.ReconnectMaxDelay, upstream.CircuitBreakerThreshold, upstream.CircuitBreakerDuration);
    }

    /// <summary>The access token (and DPoP key) the connection's requests carry. Written here, read by its HTTP handler.</summary>
    public UpstreamCredentials Credentials { get; } = new();

    /// <summary>The open connection (possibly already closed by its server), or null.</summary>
    public UpstreamConnection? Connection { get; private set; }

    /// <summary>The token set whose access token <see cref="Credentials"/> carries (null: no user token).</summary>
    public TokenSet? ConnectionTokens { get; private set; }

    /// <summary>Explicit disconnects by this activation: a call in flight across one ends instead of retrying.</summary>
    public int Disconnects { get; private set; }

    /// <summary>Connection attempts made by this activation (for diagnostics and tests).</summary>
    public long ConnectionAttempts => _reconnect.Attempts;

    /// <summary>The open connection when its transport is still up.</summary>
    public UpstreamConnection? LiveConnection => Connection is { } live && !live.Completion.IsCompleted ? live : null;

    /// <summary>What the next connection's (and the live one's) requests carry; <paramref name="tokens"/> is the user token set it comes from.</summary>
    public void UseToken(string? accessToken, DpopKey? dpop, TokenSet? tokens)
    {
        Credentials.AccessToken = accessToken;
        Credentials.Dpop = dpop;
        Credentials.Time = _context.Time;
        ConnectionTokens = tokens;
    }

    /// <summary>A request leaves: the connection is in use.</summary>
    public void BeginRequest()
    {
        _lastUsed = _context.Time.GetUtcNow();
        _inFlight++;
    }

    public void EndRequest()
    {
        _inFlight--;
        _lastUsed = _context.Time.GetUtcNow();
    }

    /// <summary>The user disconnected: calls in flight end rather than retry, and the DPoP key is no longer sent.</summary>
    public async Task DisconnectAsync()
    {
        Disconnects++;
        await CloseAsync("disconnected");
    }

    public void ForgetDpopKey()
    {
        Credentials.Dpop = null;
        Credentials.DpopNonce = null;
    }

    /// <summary>A live connection, connecting one with the current credentials unless the reconnect policy says to wait.</summary>
    public async Task<UpstreamConnectOutcome> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (Connection is not null && !Connection.Completion.IsCompleted)
        {
            return new UpstreamConnectOutcome(null, null);
        }

        if (Connection is not null)
        {
            await CloseAsync("transport closed");
        }

        var (key, options, time, logger) = (_context.Key, _context.Options, _context.Time, _context.Logger);
        var now = time.GetUtcNow();
        if (!_reconnect.TryBeginAttempt(now, out var retryAfter))
        {
            var why = _reconnect.IsCircuitOpen(now) ? "the upstream server failed repeatedly" : "the last connection attempt failed";
            return new UpstreamConnectOutcome(UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The upstream server is unavailable ({why}); retrying in {Math.Ceiling(retryAfter.TotalSeconds):F0} s.")), null);
        }

        var server = options.Servers[key.ServerId];
        var exchange = new UpstreamExchange();
        var started = time.GetTimestamp();
        try
        {
            Connection = await UpstreamConnection.ConnectAsync(
                UpstreamTarget.From(server, options.Upstream.ConnectTimeout),
                server.ProtocolVersion,
                Credentials,
                () => _handlers.CreateHandler(UpstreamHttp.ClientName),
                _sink,
                _loggerFactory,
                exchange,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (exchange.TokenRejected)
            {
                // Not a connectivity problem: the token was refused while connecting.
                return new UpstreamConnectOutcome(UpstreamResult.AuthorizationRequired(null, null), exchange);
            }

            var couldNotConnect = UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"Could not connect to the upstream server: {UpstreamFailures.Describe(ex)}"));
            if (exchange.RefusalStatus == 401)
            {
                // Not a connectivity problem either: the server requires authorization and no token was sent; the
                // caller discovers and authorizes. Counted for the backoff, it refused the first call after sign-in.
                return new UpstreamConnectOutcome(couldNotConnect, exchange);
            }

            RecordConnectionFailure();
            if (UpstreamDestinationRefusedException.Find(ex) is { } refusal)
            {
                // Not the network: McpGrains would not send there. Said plainly, for the operator and the user.
                SessionLog.UpstreamDestinationRefused(logger, key, refusal.Message);
                return new UpstreamConnectOutcome(UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamRefused, $"The upstream connection was not made: {refusal.Message}.")), exchange);
            }

            SessionLog.UpstreamConnectFailed(logger, key, _reconnect.ConsecutiveFailures, ex.GetType().Name);
            return new UpstreamConnectOutcome(couldNotConnect, exchange);
        }

        _reconnect.RecordSuccess();
        SessionLog.UpstreamConnected(logger, key, Connection.ProtocolVersion ?? "unknown", time.GetElapsedTime(started).TotalMilliseconds);
        _context.Metrics.UpstreamConnected();
        if (_idleTimer is null)
        {
            var idle = options.Upstream.IdleTimeout;
            _idleTimer = _startIdleTimer(TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, idle.Ticks / 4)));
        }

        return new UpstreamConnectOutcome(null, exchange);
    }

    /// <summary>The idle check: closes a connection nothing has used for the idle timeout.</summary>
    public async Task CloseIfIdleAsync()
    {
        if (Connection is not null && _inFlight == 0 && _context.Time.GetUtcNow() - _lastUsed >= _context.Options.Upstream.IdleTimeout)
        {
            await CloseAsync("idle");
        }
    }

    /// <summary>
    /// Closes the connection, within <c>CloseTimeout</c>: this runs in the exclusive section, so an upstream that never
    /// answers the DELETE holds nothing.
    /// </summary>
    public async Task CloseAsync(string reason)
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
        var connection = Connection;
        Connection = null;
        if (connection is null)
        {
            return;
        }

        SessionLog.UpstreamClosed(_context.Logger, _context.Key, reason);
        _context.Metrics.UpstreamClosed();
        try
        {
            await connection.CloseAsync(_context.Options.Upstream.CloseTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ending a session that is already gone fails; the connection is closed either way.
            SessionLog.UpstreamRequestFailed(_context.Logger, _context.Key, "close", ex.GetType().Name);
        }
    }

    /// <summary>A failed connection attempt or a broken connection, for the reconnect policy; counts the circuit breaker opening.</summary>
    public void RecordConnectionFailure()
    {
        var now = _context.Time.GetUtcNow();
        var wasOpen = _reconnect.IsCircuitOpen(now);
        _reconnect.RecordFailure(now);
        if (!wasOpen && _reconnect.IsCircuitOpen(now))
        {
            _context.Metrics.CircuitBreakerOpened();
        }
    }
}
