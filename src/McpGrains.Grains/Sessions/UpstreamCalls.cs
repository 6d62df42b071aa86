using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using McpGrains.Grains.Upstream;
using ModelContextProtocol;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// One forwarded MCP request. A live connection and a current token are used as they are, outside the exclusive
/// section and without waiting, so a user's calls overlap upstream; anything else (a refresh, a connect, a failure) is
/// settled in the section, where a refresh happens once however many calls need it. Each call acts on the answer it
/// got itself (its own 401 or 403 and the token it sent), never on what the calls in flight beside it met.
/// </summary>
internal sealed class UpstreamCalls(
    SessionContext context,
    SessionRecord record,
    ExclusiveSection exclusive,
    UpstreamSession upstream,
    SessionVault vault,
    SessionTokens tokens,
    ServerAuthorizationSource server,
    UpstreamChallenges challenges)
{
    /// <summary>The JSON-RPC code of Streamable HTTP's "Session not found" (HTTP 404): the server forgot the session.</summary>
    private const int SessionNotFoundCode = -32001;

    public async Task<UpstreamResult> SendAsync(UpstreamRequest request, InFlightCall? call, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var attempt = new SendAttempt { Disconnects = upstream.Disconnects };
        while (true)
        {
            if (!TryGetReadyConnection(out var connection))
            {
                var prepared = await exclusive.RunAsync(ct => PrepareAsync(attempt, ct), cancellationToken);
                if (prepared.Answer is not null)
                {
                    return prepared.Answer;
                }

                connection = prepared.Connection!;
            }

            // What the server answers this call about its token is this call's alone (calls overlap).
            var exchange = new UpstreamExchange();
            // One source for the call's timeout and the connection closing under it (which ends the call in flight).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closing);
            timeout.CancelAfter(context.Options.Upstream.RequestTimeout);
            try
            {
                return await connection.SendAsync(method, request.ParamsJson, call, exchange, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !connection.Closing.IsCancellationRequested)
            {
                SessionLog.UpstreamRequestFailed(context.Logger, context.Key, method, "timeout");
                return UpstreamResult.TimedOut(new SessionError(SessionErrorCodes.UpstreamTimeout, $"The upstream server did not answer {method} within {context.Options.Upstream.RequestTimeout.TotalSeconds:F0} s."));
            }
            catch (Exception ex) when (UpstreamResponseTooLargeException.Find(ex) is { } tooLarge && !cancellationToken.IsCancellationRequested)
            {
                // This answer alone: the connection and the session stay as they are.
                SessionLog.UpstreamRequestFailed(context.Logger, context.Key, method, SessionErrorCodes.UpstreamResponseTooLarge);
                return UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamResponseTooLarge, tooLarge.Message));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Also an OperationCanceledException when another call closed the connection under this request.
                var failure = new SendFailure(method, ex, connection, exchange);
                var handled = await exclusive.RunAsync(ct => HandleFailureAsync(failure, attempt, ct), cancellationToken);
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
    private bool TryGetReadyConnection([NotNullWhen(true)] out UpstreamConnection? connection)
    {
        connection = null;
        if (exclusive.IsHeld || upstream.LiveConnection is not { } live)
        {
            return false;
        }

        var machine = record.Machine;
        if (machine.HasTokens)
        {
            // The token the connection carries must be the current one, and not due for a refresh.
            if (!ReferenceEquals(upstream.ConnectionTokens, record.State.Tokens)
                || machine.DecideTokenUse(context.Time.GetUtcNow(), context.Options.Authorization.RefreshSkew) != RefreshDecision.UseCurrent)
            {
                return false;
            }
        }
        else if (server.Current?.Outcome != ServerAuthorizationOutcome.NotRequired || upstream.ConnectionTokens is not null)
        {
            return false;
        }

        connection = live;
        return true;
    }

    /// <summary>In the exclusive section: a token (refreshed if due) and a live connection, or the answer to give instead.</summary>
    private async Task<PreparedSend> PrepareAsync(SendAttempt attempt, CancellationToken cancellationToken)
    {
        var shared = context.UsesSharedToken;
        while (true)
        {
            var token = await challenges.AcquireTokenAsync(cancellationToken);
            if (token.Failure is not null)
            {
                return new PreparedSend(null, token.Failure);
            }

            var userTokens = token.AccessToken is null || shared ? null : record.State.Tokens;
            upstream.UseToken(token.AccessToken, token.AccessToken is null || shared ? null : vault.DpopKeyFor(record.State.Tokens), userTokens);
            var connect = await upstream.EnsureConnectedAsync(cancellationToken);
            if (connect.Failure is null)
            {
                return new PreparedSend(upstream.Connection!, null);
            }

            if (connect.TokenRejected)
            {
                // Not a connectivity problem: the token was refused while connecting.
                SessionLog.UpstreamTokenRejected(context.Logger, context.Key);
                record.Machine.ApplyAccessTokenRejected(context.Time.GetUtcNow());
                if (!attempt.TokenRefreshed)
                {
                    attempt.TokenRefreshed = true;
                    tokens.RejectSharedToken(shared ? token.AccessToken : null);
                    continue;
                }

                if (shared)
                {
                    return new PreparedSend(null, SharedTokenRefused());
                }
            }

            if (connect.Exchange?.RefusalStatus is not null && token.AccessToken is null)
            {
                return new PreparedSend(null, await challenges.OnUnexpectedChallengeAsync(connect.Exchange.Challenge, cancellationToken));
            }

            return new PreparedSend(null, connect.Failure);
        }
    }

    /// <summary>In the exclusive section: what a failed request means. Null to try again (at most once per cause).</summary>
    private async Task<UpstreamResult?> HandleFailureAsync(SendFailure failure, SendAttempt attempt, CancellationToken cancellationToken)
    {
        var (method, ex, connection, exchange) = failure;
        var (key, logger) = (context.Key, context.Logger);
        var status = UpstreamFailures.StatusOf(ex);
        UpstreamRpcError? answered = null;
        var facts = new CallFailure(
            DisconnectedMeanwhile: upstream.Disconnects != attempt.Disconnects,
            RefusalStatus: exchange.RefusalStatus,
            TokenSent: exchange.SentToken is not null,
            UsesSharedToken: context.UsesSharedToken,
            TokenRefreshed: attempt.TokenRefreshed,
            Reconnected: attempt.Reconnected,
            TokenReplacedMeanwhile: exchange.SentToken != upstream.Credentials.AccessToken
                || record.Machine.DecideTokenUse(context.Time.GetUtcNow(), context.Options.Authorization.RefreshSkew) != RefreshDecision.UseCurrent,
            Status: status,
            ConnectionIsCurrent: ReferenceEquals(connection, upstream.Connection),
            AnsweredWithRpcError: status is not null && UpstreamHttpErrors.TryReadRpcError(ex, out answered) && answered.Code != SessionNotFoundCode,
            HasUpstreamSession: connection.SessionId is not null);
        switch (facts.Classify())
        {
            case CallFailureAction.Disconnected:
                return UpstreamResult.Unavailable(new SessionError(SessionErrorCodes.UpstreamUnavailable, $"The connection was disconnected while {method} was in flight."));
            case CallFailureAction.StepUp:
                return await challenges.StepUpAsync(method, exchange.Challenge, cancellationToken);
            case CallFailureAction.UnexpectedChallenge:
                return await challenges.OnUnexpectedChallengeAsync(exchange.Challenge, cancellationToken);
            case CallFailureAction.SharedTokenRefused:
                return SharedTokenRefused();
            case CallFailureAction.RetryWithNewSharedToken:
                attempt.TokenRefreshed = true;
                tokens.RejectSharedToken(exchange.SentToken);
                return null;
            case CallFailureAction.RetryWithCurrentToken:
                // Another call in flight met the same 401 first: the token is replaced already, or marked for the
                // refresh the retry will make (once, in the exclusive section). No second report, no second refresh.
                attempt.TokenRefreshed = true;
                return null;
            case CallFailureAction.RefreshAndRetry:
                // One refresh and one retry; a second 401 means the user must authorize again. The challenge may also
                // name another authorization server (a migration): the server grain looks first.
                attempt.TokenRefreshed = true;
                SessionLog.UpstreamTokenRejected(logger, key);
                record.Machine.ApplyAccessTokenRejected(context.Time.GetUtcNow());
                return await challenges.ReportTokenChallengeAsync(exchange.Challenge, cancellationToken) is { } refused ? UpstreamResult.Unavailable(refused) : null;
            case CallFailureAction.Reauthorize:
                return await challenges.RequireReauthorizationAsync(exchange.Challenge, cancellationToken);
            case CallFailureAction.RetryOnNewConnection:
                attempt.Reconnected = true;
                return null;
            case CallFailureAction.RelayRpcError:
                // The server answered (a stateless server says "method not available" with HTTP 404 and a JSON-RPC
                // error, a missing capability with HTTP 400): relay it; the connection is healthy.
                return UpstreamResult.Failure(answered!);
            case CallFailureAction.RetryOnNewSession:
                attempt.Reconnected = true;
                if (facts.ConnectionIsCurrent)
                {
                    SessionLog.UpstreamSessionExpired(logger, key);
                    await upstream.CloseAsync("session expired");
                }

                return null;
            case CallFailureAction.Refused:
                SessionLog.UpstreamRequestFailed(logger, key, method, $"HTTP {(int)status!}");
                return UpstreamResult.Failure(new UpstreamRpcError(-32603, $"The upstream server refused {method} with HTTP {(int)status}.", null));
        }

        SessionLog.UpstreamRequestFailed(logger, key, method, ex.GetType().Name);
        if (facts.ConnectionIsCurrent)
        {
            // Counted once per broken connection, not once per call that was in flight on it.
            await upstream.CloseAsync("request failed");
            upstream.RecordConnectionFailure();
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
