using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Upstream;
using ModelContextProtocol;

namespace McpGrains.Grains.Sessions;

// Opening, idling and closing the live upstream connection.
public sealed partial class McpSessionGrain
{
    private readonly record struct ConnectOutcome(UpstreamResult? Failure, UpstreamExchange? Exchange)
    {
        /// <summary>Not a connectivity problem: the server refused the token the handshake carried.</summary>
        public bool TokenRejected => Failure is not null && Exchange is { TokenRejected: true };
    }

    private async Task<ConnectOutcome> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null && !_connection.Completion.IsCompleted)
        {
            return new ConnectOutcome(null, null);
        }

        if (_connection is not null)
        {
            await CloseConnectionAsync("transport closed");
        }

        var now = _time.GetUtcNow();
        if (!_reconnect.TryBeginAttempt(now, out var retryAfter))
        {
            var why = _reconnect.IsCircuitOpen(now) ? "the upstream server failed repeatedly" : "the last connection attempt failed";
            return new ConnectOutcome(UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The upstream server is unavailable ({why}); retrying in {Math.Ceiling(retryAfter.TotalSeconds):F0} s.")), null);
        }

        var server = Options.Servers[_key.ServerId];
        var exchange = new UpstreamExchange();
        var started = _time.GetTimestamp();
        try
        {
            _connection = await UpstreamConnection.ConnectAsync(
                new Uri(server.Url!),
                server.Transport,
                _credentials,
                () => _handlerFactory.CreateHandler(UpstreamHttp.ClientName),
                server.AllowPrivateNetwork,
                _relay,
                Options.Upstream.ConnectTimeout,
                server.ProtocolVersion,
                _loggerFactory,
                exchange,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (exchange.TokenRejected)
            {
                // Not a connectivity problem: the token was refused while connecting.
                LogUpstreamTokenRejected(_logger, _key);
                _machine.ApplyAccessTokenRejected(_time.GetUtcNow());
                return new ConnectOutcome(UpstreamResult.AuthorizationRequired(null, null), exchange);
            }

            RecordConnectionFailure();
            if (McpGrains.OAuth.UpstreamDestinationRefusedException.Find(ex) is { } refusal)
            {
                // Not the network: McpGrains would not send there. Said plainly, for the operator and the user.
                LogUpstreamDestinationRefused(_logger, _key, refusal.Message);
                return new ConnectOutcome(UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamRefused, $"The upstream connection was not made: {refusal.Message}.")), exchange);
            }

            LogUpstreamConnectFailed(_logger, _key, _reconnect.ConsecutiveFailures, ex.GetType().Name);
            return new ConnectOutcome(UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"Could not connect to the upstream server: {UpstreamFailures.Describe(ex)}")), exchange);
        }

        _reconnect.RecordSuccess();
        LogUpstreamConnected(_logger, _key, _connection.ProtocolVersion ?? "unknown", _time.GetElapsedTime(started).TotalMilliseconds);
        RecordUpstreamConnected();
        EnsureIdleTimer();
        return new ConnectOutcome(null, exchange);
    }

    private void EnsureIdleTimer()
    {
        if (_idleTimer is not null)
        {
            return;
        }

        var idle = Options.Upstream.IdleTimeout;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, idle.Ticks / 4));
        _idleTimer = this.RegisterGrainTimer(ct => ExclusiveAsync(CloseIfIdleLockedAsync, ct), new GrainTimerCreationOptions(period, period) { KeepAlive = false, Interleave = false });
    }

    private async Task CloseIfIdleLockedAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null && _inFlight == 0 && _time.GetUtcNow() - _lastUsed >= Options.Upstream.IdleTimeout)
        {
            await CloseConnectionAsync("idle");
        }
    }

    private async Task CloseConnectionAsync(string reason)
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
        var connection = _connection;
        _connection = null;
        if (connection is null)
        {
            return;
        }

        LogUpstreamClosed(_logger, _key, reason);
        RecordUpstreamClosed();
        try
        {
            // Inside the exclusive section: bounded, so that an upstream that never answers the DELETE holds nothing.
            await connection.CloseAsync(Options.Upstream.CloseTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ending a session that is already gone fails; the connection is closed either way.
            LogUpstreamRequestFailed(_logger, _key, "close", ex.GetType().Name);
        }
    }

    private Task NotifyAuthorizationCompletedAsync(string elicitationId) => _relay.NotifyAuthorizationCompletedAsync(elicitationId);
}
