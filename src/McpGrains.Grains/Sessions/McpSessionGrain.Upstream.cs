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
    private UpstreamConnection? _connection;
    private IGrainTimer? _idleTimer;
    private DateTimeOffset _lastUsed;

    /// <summary>Step-ups per requested scope set, for this activation.</summary>
    private readonly Dictionary<string, int> _stepUps = new(StringComparer.Ordinal);

    private const int MaxStepUpsPerScopeSet = 2;

    /// <summary>Connection attempts made by this activation (for diagnostics and tests).</summary>
    internal long ConnectionAttempts => _reconnect.Attempts;

    public async Task<UpstreamResult> SendAsync(UpstreamRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonNode? parameters;
        try
        {
            parameters = request.ParamsJson is null ? null : JsonNode.Parse(request.ParamsJson);
        }
        catch (JsonException)
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32602, "The request params are not valid JSON.", null));
        }

        _lastUsed = _time.GetUtcNow();
        var tokenRefreshed = false;
        var reconnected = false;
        while (true)
        {
            var token = await AcquireUpstreamTokenAsync(cancellationToken);
            if (token.Failure is not null)
            {
                return token.Failure;
            }

            _credentials.AccessToken = token.AccessToken;
            var rejectionsBefore = _credentials.Rejections;
            var connect = await EnsureConnectedAsync(cancellationToken);
            if (connect.Failure is not null)
            {
                if (connect.TokenRejected && !tokenRefreshed)
                {
                    tokenRefreshed = true;
                    continue;
                }

                if (_credentials.Rejections > rejectionsBefore && token.AccessToken is null)
                {
                    return await OnUnexpectedChallengeAsync(cancellationToken);
                }

                return connect.Failure;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.Upstream.RequestTimeout);
            try
            {
                var result = await _connection!.SendAsync(request.Method, parameters?.DeepClone(), timeout.Token);
                _lastUsed = _time.GetUtcNow();
                return UpstreamResult.Success(result?.ToJsonString() ?? "{}");
            }
            catch (McpProtocolException ex)
            {
                return UpstreamResult.Failure(new UpstreamRpcError((int)ex.ErrorCode, ex.Message, null));
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogUpstreamRequestFailed(_logger, _key, request.Method, "timeout");
                return UpstreamResult.TimedOut(new SessionError(SessionErrorCodes.UpstreamTimeout, $"The upstream server did not answer {request.Method} within {Options.Upstream.RequestTimeout.TotalSeconds:F0} s."));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (_credentials.Rejections > rejectionsBefore && _credentials.LastStatus == 403)
                {
                    return await StepUpAsync(request.Method, cancellationToken);
                }

                if (_credentials.Rejections > rejectionsBefore && token.AccessToken is null)
                {
                    // The server let the unauthenticated connection through, then asked for a token.
                    return await OnUnexpectedChallengeAsync(cancellationToken);
                }

                if (_credentials.WasRejected(token.AccessToken) && token.AccessToken is not null && !tokenRefreshed)
                {
                    // One refresh and one retry; a second 401 means the user must authorize again. The challenge may
                    // also name another authorization server (a migration): the server grain looks first.
                    tokenRefreshed = true;
                    LogUpstreamTokenRejected(_logger, _key);
                    _machine.ApplyAccessTokenRejected(_time.GetUtcNow());
                    await ReportTokenChallengeAsync(cancellationToken);
                    continue;
                }

                if (_credentials.WasRejected(token.AccessToken) && token.AccessToken is not null)
                {
                    return await RequireReauthorizationAsync(cancellationToken);
                }

                var status = StatusOf(ex);
                if (status == HttpStatusCode.NotFound && _connection!.SessionId is not null && !reconnected)
                {
                    // The server forgot our session (404): initialize a new one and retry once.
                    reconnected = true;
                    LogUpstreamSessionExpired(_logger, _key);
                    await CloseConnectionAsync("session expired");
                    continue;
                }

                if (status is not null && UpstreamHttpErrors.TryReadRpcError(ex, out var rpcError))
                {
                    // The server answered (a stateless server says "method not available" with HTTP 404 and a
                    // JSON-RPC error): relay it; the connection is healthy.
                    return UpstreamResult.Failure(rpcError);
                }

                if (status is not null and not HttpStatusCode.NotFound && (int)status < 500)
                {
                    LogUpstreamRequestFailed(_logger, _key, request.Method, $"HTTP {(int)status}");
                    return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {request.Method} with HTTP {(int)status}.", null));
                }

                await CloseConnectionAsync("request failed");
                LogUpstreamRequestFailed(_logger, _key, request.Method, ex.GetType().Name);
                _reconnect.RecordFailure(_time.GetUtcNow());
                return UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The upstream server failed during {request.Method}: {Describe(ex)}"));
            }
        }
    }

    public Task SubscribeAsync(IMcpSessionObserver observer, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _relay.Register(observer, capabilities ?? DownstreamCapabilities.None);

        // Stay active while a front end listens: the observers live only in this activation.
        this.DelayDeactivation(SessionEventRelay.RegistrationLifetime);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IMcpSessionObserver observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _relay.Unregister(observer);
        return Task.CompletedTask;
    }

    public async Task<PendingAuthorizationInfo?> GetPendingAuthorizationAsync(CancellationToken cancellationToken = default)
    {
        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return null;
        }

        if (_machine.HasTokens && _machine.Status == ConnectionStatus.Connected)
        {
            var token = await GetAccessTokenCoreAsync(server.Authorization!, cancellationToken);
            if (token.Outcome == AccessTokenOutcome.Token)
            {
                return null;
            }
        }

        var pending = _machine.GetReusablePending(_time.GetUtcNow(), MinimumPendingLifetime)
            ?? await BeginAuthorizationCoreAsync(server.Authorization!, returnUrl: null, cancellationToken);
        return pending is null ? null : DescribePending(pending);
    }

    private PendingAuthorizationInfo DescribePending(PendingAuthorization pending) => new(
        Secrets.Unprotect(pending.ProtectedAuthorizationUrl, SecretContexts.AuthorizationUrl(_key)),
        pending.ElicitationId,
        pending.ExpiresAt,
        _machine.Status);

    private async Task<(string? AccessToken, UpstreamResult? Failure)> AcquireUpstreamTokenAsync(CancellationToken cancellationToken)
    {
        var token = await GetAccessTokenAsync(cancellationToken);
        switch (token.Outcome)
        {
            case AccessTokenOutcome.Token:
                return (token.AccessToken, null);
            case AccessTokenOutcome.NotRequired:
                return (null, null);
            case AccessTokenOutcome.AuthorizationRequired:
                return (null, UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationAsync(cancellationToken), token.Error));
            default:
                return (null, UpstreamResult.Unavailable(token.Error ?? new SessionError(SessionErrorCodes.UpstreamUnavailable, "No access token could be obtained.")));
        }
    }

    /// <summary>
    /// A 401 the cached discovery did not expect: the server needs authorization after all (or moved to another
    /// authorization server). The server grain discovers again from the challenge; the user is sent to authorize.
    /// </summary>
    private async Task<UpstreamResult> OnUnexpectedChallengeAsync(CancellationToken cancellationToken)
    {
        await CloseConnectionAsync("authorization required");
        _server = null;
        var server = await ServerGrain.ReportChallengeAsync(_credentials.LastChallenge ?? "Bearer", _time.GetUtcNow(), cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(server.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "The server asked for authorization but none could be discovered."));
        }

        _server = server;
        if (_machine.Status == ConnectionStatus.Connected && !_machine.HasTokens)
        {
            _machine.Disconnect(_time.GetUtcNow());
            await _state.WriteStateAsync(cancellationToken);
        }

        return UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationAsync(cancellationToken), null);
    }

    /// <summary>
    /// 403 insufficient_scope: authorize again with the union of the granted and the challenged scopes. Bounded: the
    /// same scope set is asked for at most <see cref="MaxStepUpsPerScopeSet"/> times, then the call fails.
    /// </summary>
    private async Task<UpstreamResult> StepUpAsync(string method, CancellationToken cancellationToken)
    {
        var challenge = McpGrains.OAuth.WwwAuthenticateChallenge.Parse(_credentials.LastChallenge);
        if (challenge?.Error != "insufficient_scope")
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {method} (HTTP 403).", null));
        }

        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready)
        {
            return UpstreamResult.Unavailable(server.Error ?? new SessionError(SessionErrorCodes.DiscoveryFailed, "Step-up is not possible: the server has no authorization server."));
        }

        var granted = _state.State.Tokens?.Scopes ?? (IReadOnlyList<string>)server.Authorization!.Scopes;
        var scopes = McpGrains.OAuth.ScopeSelector.Union(granted, challenge.Scope).ToList();
        var scopeSet = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var attempts = _stepUps.GetValueOrDefault(scopeSet);
        if (attempts >= MaxStepUpsPerScopeSet)
        {
            return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server still refuses {method} for lack of scope after {attempts} re-authorizations; giving up.", null));
        }

        _stepUps[scopeSet] = attempts + 1;
        LogStepUp(_logger, _key, method, scopeSet);
        var pending = await BeginAuthorizationCoreAsync(server.Authorization!, returnUrl: null, cancellationToken, scopes);
        return UpstreamResult.AuthorizationRequired(pending is null ? null : DescribePending(pending), new SessionError(SessionErrorCodes.InsufficientScope, $"{method} needs more scopes: {scopeSet}."));
    }

    /// <summary>
    /// Hands a 401 challenge on our own token to the server grain, which discovers again when it has not since the
    /// challenge was seen; a new issuer means a new registration, and this session's tokens no longer apply.
    /// </summary>
    private async Task ReportTokenChallengeAsync(CancellationToken cancellationToken)
    {
        if (_credentials.LastChallenge is not { Length: > 0 } challenge)
        {
            return;
        }

        var issuer = _state.State.Tokens?.Issuer;
        _server = null;
        var server = await ServerGrain.ReportChallengeAsync(challenge, _time.GetUtcNow(), cancellationToken);
        if (server.Outcome == ServerAuthorizationOutcome.Ready && issuer is not null && server.Authorization!.Issuer != issuer)
        {
            _machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The server moved to another authorization server; sign in again."), _time.GetUtcNow());
            await _state.WriteStateAsync(cancellationToken);
            await SyncProactiveRefreshAsync();
        }
    }

    private async Task<UpstreamResult> RequireReauthorizationAsync(CancellationToken cancellationToken)
    {
        await ReportTokenChallengeAsync(cancellationToken);
        var now = _time.GetUtcNow();
        _machine.ApplyRefreshRejected(new SessionError(SessionErrorCodes.InvalidGrant, "The upstream server rejected a freshly refreshed access token; sign in again."), now);
        await _state.WriteStateAsync(cancellationToken);
        await SyncProactiveRefreshAsync();
        await CloseConnectionAsync("token rejected");
        return UpstreamResult.AuthorizationRequired(await GetPendingAuthorizationAsync(cancellationToken), _state.State.LastError);
    }

    private async Task<(UpstreamResult? Failure, bool TokenRejected)> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null && !_connection.Completion.IsCompleted)
        {
            return (null, false);
        }

        if (_connection is not null)
        {
            await CloseConnectionAsync("transport closed");
        }

        var now = _time.GetUtcNow();
        if (!_reconnect.TryBeginAttempt(now, out var retryAfter))
        {
            var why = _reconnect.IsCircuitOpen(now) ? "the upstream server failed repeatedly" : "the last connection attempt failed";
            return (UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The upstream server is unavailable ({why}); retrying in {Math.Ceiling(retryAfter.TotalSeconds):F0} s.")), false);
        }

        var server = Options.Servers[_key.ServerId];
        var sentToken = _credentials.AccessToken;
        var started = _time.GetTimestamp();
        try
        {
            _connection = await UpstreamConnection.ConnectAsync(
                new Uri(server.Url!),
                server.Transport,
                _credentials,
                _handlerFactory.CreateHandler(UpstreamHttp.ClientName),
                _relay,
                Options.Upstream.ConnectTimeout,
                server.ProtocolVersion,
                _loggerFactory,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (sentToken is not null && _credentials.WasRejected(sentToken))
            {
                // Not a connectivity problem: the token was refused while connecting.
                LogUpstreamTokenRejected(_logger, _key);
                _machine.ApplyAccessTokenRejected(_time.GetUtcNow());
                return (UpstreamResult.AuthorizationRequired(null, null), true);
            }

            _reconnect.RecordFailure(_time.GetUtcNow());
            LogUpstreamConnectFailed(_logger, _key, _reconnect.ConsecutiveFailures, ex.GetType().Name);
            return (UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"Could not connect to the upstream server: {Describe(ex)}")), false);
        }

        _reconnect.RecordSuccess();
        _credentials.ClearRejection();
        LogUpstreamConnected(_logger, _key, _connection.ProtocolVersion ?? "unknown", _time.GetElapsedTime(started).TotalMilliseconds);
        EnsureIdleTimer();
        return (null, false);
    }

    private void EnsureIdleTimer()
    {
        if (_idleTimer is not null)
        {
            return;
        }

        var idle = Options.Upstream.IdleTimeout;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, idle.Ticks / 4));
        _idleTimer = this.RegisterGrainTimer(CloseIfIdleAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = false, Interleave = false });
    }

    private async Task CloseIfIdleAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null && _time.GetUtcNow() - _lastUsed >= Options.Upstream.IdleTimeout)
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
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Ending a session that is already gone fails; the connection is closed either way.
            LogUpstreamRequestFailed(_logger, _key, "close", ex.GetType().Name);
        }
    }

    private async Task NotifyAuthorizationCompletedAsync(string elicitationId)
    {
        foreach (var registration in _relay.Current)
        {
            await registration.Observer.OnAuthorizationCompletedAsync(elicitationId);
        }
    }

    /// <summary>The HTTP status the upstream answered with, when the failure is an HTTP answer at all.</summary>
    private static HttpStatusCode? StatusOf(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { StatusCode: { } status })
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>A short reason without URLs or bodies (which could carry secrets).</summary>
    private static string Describe(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null && root is not HttpRequestException)
        {
            root = root.InnerException;
        }

        return root switch
        {
            HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
            HttpRequestException { HttpRequestError: var error } => error.ToString(),
            TimeoutException => "timed out",
            _ => root.GetType().Name,
        };
    }
}
