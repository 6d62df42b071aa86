using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Upstream;
using ModelContextProtocol;

namespace McpGrains.Grains.Sessions;

// The live upstream MCP connection: opened on demand, shared by all of the user's downstream sessions, closed when idle.
public sealed partial class McpSessionGrain
{
    /// <summary>A pending authorization with less life than this left is replaced rather than shown again.</summary>
    private static readonly TimeSpan MinimumPendingLifetime = TimeSpan.FromMinutes(2);

    private readonly UpstreamCredentials _credentials = new();
    private ReconnectPolicy _reconnect = null!;
    private SessionEventRelay _relay = null!;
    private DownstreamRegistrations _registrations = null!;
    private readonly DownstreamCalls _calls = new();
    private UpstreamConnection? _connection;
    private IGrainTimer? _idleTimer;
    private DateTimeOffset _lastUsed;

    /// <summary>Requests in flight upstream: the idle timer leaves a busy connection alone.</summary>
    private int _inFlight;

    /// <summary>Explicit disconnects by this activation: a call in flight across one ends instead of retrying.</summary>
    private int _disconnects;

    /// <summary>The token set whose access token <see cref="_credentials"/> carries (null: no token).</summary>
    private TokenSet? _connectionTokens;

    /// <summary>Step-ups per requested scope set, for this activation.</summary>
    private readonly Dictionary<string, int> _stepUps = new(StringComparer.Ordinal);

    private const int MaxStepUpsPerScopeSet = 2;

    /// <summary>The JSON-RPC code of Streamable HTTP's "Session not found" (HTTP 404): the server forgot the session.</summary>
    private const int SessionNotFoundCode = -32001;

    /// <summary>Connection attempts made by this activation (for diagnostics and tests).</summary>
    internal long ConnectionAttempts => _reconnect.Attempts;

    public async Task<UpstreamResult> SendAsync(UpstreamRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ParamsJson is not null && !RawJson.IsValid(request.ParamsJson))
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32602, "The request params are not valid JSON.", null));
        }

        RememberSubject(request.UserLabel, request.Identity);
        RememberIdentityAssertion(request.IdentityAssertion);
        _lastUsed = _time.GetUtcNow();
        _inFlight++;
        var call = request.Caller is { } caller ? BeginCall(caller) : null;
        using var activity = StartUpstreamActivity(request.Method);
        var started = _time.GetTimestamp();
        try
        {
            var result = await SendCoreAsync(request, call, cancellationToken);
            RecordUpstreamCall(activity, result, started);
            await OnAnsweredAsync(request, result);
            if (call is null)
            {
                return result;
            }

            // Progress the upstream sent before its answer reaches the client before the answer.
            await call.DeliveredAsync(DownstreamCalls.DeliveryWait, _time);
            return result.WithRelayedMessages(call.Relayed);
        }
        finally
        {
            _inFlight--;
            _lastUsed = _time.GetUtcNow();
            if (call is not null)
            {
                _calls.End(call);
            }
        }
    }

    private async Task<UpstreamResult> SendCoreAsync(UpstreamRequest request, InFlightCall? call, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var attempt = new SendAttempt { Disconnects = _disconnects };
        while (true)
        {
            // A live connection and a current token are used as they are; anything else (a refresh, a connect, a
            // failure) is settled in the exclusive section, where a refresh happens once however many calls need it.
            if (!TryGetReadyConnection(out var connection))
            {
                var prepared = await ExclusiveAsync(ct => PrepareLockedAsync(attempt, ct), cancellationToken);
                if (prepared.Answer is not null)
                {
                    return prepared.Answer;
                }

                connection = prepared.Connection!;
            }

            // What the server answers this call about its token is this call's alone (calls overlap).
            var exchange = new UpstreamExchange();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.Upstream.RequestTimeout);
            try
            {
                return await connection.SendAsync(method, request.ParamsJson, call, exchange, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogUpstreamRequestFailed(_logger, _key, method, "timeout");
                return UpstreamResult.TimedOut(new SessionError(SessionErrorCodes.UpstreamTimeout, $"The upstream server did not answer {method} within {Options.Upstream.RequestTimeout.TotalSeconds:F0} s."));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Also an OperationCanceledException when another call closed the connection under this request.
                var failure = new SendFailure(method, ex, connection, exchange);
                var handled = await ExclusiveAsync(ct => HandleSendFailureLockedAsync(failure, attempt, ct), cancellationToken);
                if (handled is not null)
                {
                    return handled;
                }

                attempt.Retried = true;
            }
        }
    }

    /// <summary>
    /// Outside the exclusive section, without waiting: the live connection, when it and the token it already carries
    /// are good for this call. The grain runs one turn at a time, so nothing changes between these checks.
    /// </summary>
    private bool TryGetReadyConnection([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpstreamConnection? connection)
    {
        connection = null;
        if (_exclusive.CurrentCount == 0 || _connection is not { } live || live.Completion.IsCompleted)
        {
            return false;
        }

        if (_machine.HasTokens)
        {
            // The token the connection carries must be the current one, and not due for a refresh.
            if (!ReferenceEquals(_connectionTokens, _state.State.Tokens)
                || _machine.DecideTokenUse(_time.GetUtcNow(), Options.Authorization.RefreshSkew) != RefreshDecision.UseCurrent)
            {
                return false;
            }
        }
        else if (_server?.Outcome != ServerAuthorizationOutcome.NotRequired || _connectionTokens is not null)
        {
            return false;
        }

        connection = live;
        return true;
    }

    /// <summary>In the exclusive section: a token (refreshed if due) and a live connection, or the answer to give instead.</summary>
    private async Task<PreparedSend> PrepareLockedAsync(SendAttempt attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var token = await AcquireUpstreamTokenAsync(cancellationToken);
            if (token.Failure is not null)
            {
                return new PreparedSend(null, token.Failure);
            }

            _credentials.AccessToken = token.AccessToken;
            _credentials.Dpop = token.AccessToken is null || UsesSharedToken ? null : DpopKeyFor(_state.State.Tokens);
            _credentials.Time = _time;
            _connectionTokens = token.AccessToken is null || UsesSharedToken ? null : _state.State.Tokens;
            var connect = await EnsureConnectedAsync(cancellationToken);
            if (connect.Failure is null)
            {
                return new PreparedSend(_connection!, null);
            }

            if (connect.TokenRejected && !attempt.TokenRefreshed)
            {
                attempt.TokenRefreshed = true;
                _rejectedSharedToken = UsesSharedToken ? token.AccessToken : null;
                continue;
            }

            if (connect.TokenRejected && UsesSharedToken)
            {
                return new PreparedSend(null, SharedTokenRefused());
            }

            if (connect.Exchange?.RefusalStatus is not null && token.AccessToken is null)
            {
                return new PreparedSend(null, await OnUnexpectedChallengeAsync(connect.Exchange.Challenge, cancellationToken));
            }

            return new PreparedSend(null, connect.Failure);
        }
    }

    /// <summary>In the exclusive section: what a failed request means. Null to try again (at most once per cause).</summary>
    private async Task<UpstreamResult?> HandleSendFailureLockedAsync(SendFailure failure, SendAttempt attempt, CancellationToken cancellationToken)
    {
        var (method, ex, connection, exchange) = failure;
        if (_disconnects != attempt.Disconnects)
        {
            // The user disconnected while this request was in flight: its connection and tokens are gone on purpose.
            return UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The connection was disconnected while {method} was in flight."));
        }

        // This call's own answer decides, not what other calls in flight met meanwhile.
        var status = UpstreamFailures.StatusOf(ex);
        if (exchange.RefusalStatus == 403)
        {
            return await StepUpAsync(method, exchange.Challenge, cancellationToken);
        }

        if (exchange.RefusalStatus is not null && exchange.SentToken is null)
        {
            // The server let the unauthenticated connection through, then asked for a token.
            return await OnUnexpectedChallengeAsync(exchange.Challenge, cancellationToken);
        }

        if (exchange.TokenRejected && UsesSharedToken)
        {
            // McpGrains' own token: the server grain obtains a new one once; a second refusal is not the user's to fix.
            if (attempt.TokenRefreshed)
            {
                return SharedTokenRefused();
            }

            attempt.TokenRefreshed = true;
            _rejectedSharedToken = exchange.SentToken;
            return null;
        }

        if (exchange.TokenRejected)
        {
            if (!attempt.TokenRefreshed && (exchange.SentToken != _credentials.AccessToken
                || _machine.DecideTokenUse(_time.GetUtcNow(), Options.Authorization.RefreshSkew) != RefreshDecision.UseCurrent))
            {
                // Another call in flight met the same 401 first: the token is replaced already, or marked for the
                // refresh the retry will make (once, in the exclusive section). No second report, no second refresh.
                attempt.TokenRefreshed = true;
                return null;
            }

            if (!attempt.TokenRefreshed)
            {
                // One refresh and one retry; a second 401 means the user must authorize again. The challenge may
                // also name another authorization server (a migration): the server grain looks first.
                attempt.TokenRefreshed = true;
                LogUpstreamTokenRejected(_logger, _key);
                _machine.ApplyAccessTokenRejected(_time.GetUtcNow());
                return await ReportTokenChallengeAsync(exchange.Challenge, cancellationToken) is { } refused ? UpstreamResult.Unavailable(refused) : null;
            }

            return await RequireReauthorizationAsync(exchange.Challenge, cancellationToken);
        }

        if (status is null && !ReferenceEquals(connection, _connection) && !attempt.Reconnected)
        {
            // Another call (or the idle timer) closed or replaced the connection under this request: try once more.
            attempt.Reconnected = true;
            return null;
        }

        if (status is not null && UpstreamHttpErrors.TryReadRpcError(ex, out var answered) && answered.Code != SessionNotFoundCode)
        {
            // The server answered (a stateless server says "method not available" with HTTP 404 and a JSON-RPC error,
            // a missing capability with HTTP 400): relay it; the connection is healthy.
            return UpstreamResult.Failure(answered);
        }

        if (status == HttpStatusCode.NotFound && connection.SessionId is not null && !attempt.Reconnected)
        {
            // The server forgot our session (404): initialize a new one and retry once.
            attempt.Reconnected = true;
            if (ReferenceEquals(connection, _connection))
            {
                LogUpstreamSessionExpired(_logger, _key);
                await CloseConnectionAsync("session expired");
            }

            return null;
        }

        if (status is not null and not HttpStatusCode.NotFound && (int)status < 500)
        {
            LogUpstreamRequestFailed(_logger, _key, method, $"HTTP {(int)status}");
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {method} with HTTP {(int)status}.", null));
        }

        LogUpstreamRequestFailed(_logger, _key, method, ex.GetType().Name);
        if (ReferenceEquals(connection, _connection))
        {
            // Counted once per broken connection, not once per call that was in flight on it.
            await CloseConnectionAsync("request failed");
            RecordConnectionFailure();
        }

        return UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The upstream server failed during {method}: {UpstreamFailures.Describe(ex)}"));
    }

    private static UpstreamResult SharedTokenRefused() => UpstreamResult.Unavailable(new SessionError(
        SessionErrorCodes.InvalidGrant, "The upstream server refused McpGrains' own access token, also a newly obtained one; check the server's client credentials."));

    private sealed class SendAttempt
    {
        public bool TokenRefreshed { get; set; }

        public bool Reconnected { get; set; }

        public bool Retried { get; set; }

        public int Disconnects { get; init; }
    }

    private readonly record struct PreparedSend(UpstreamConnection? Connection, UpstreamResult? Answer);

    private readonly record struct SendFailure(string Method, Exception Exception, UpstreamConnection Connection, UpstreamExchange Exchange);
}
