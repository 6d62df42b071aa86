using System.Net;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// What is known about one failed upstream request, from typed information only: the HTTP status and refusal it met,
/// whether it carried a token, and what this call and the session did meanwhile. <see cref="Classify"/> says what it
/// means; the caller acts on that.
/// </summary>
/// <param name="DisconnectedMeanwhile">The user disconnected while the request was in flight.</param>
/// <param name="RefusalStatus">401 or 403 when the server refused the request's token (or its absence).</param>
/// <param name="TokenSent">The request carried an access token.</param>
/// <param name="UsesSharedToken">The token is McpGrains' own, shared by every user of the server.</param>
/// <param name="TokenRefreshed">This call already had its token replaced once.</param>
/// <param name="Reconnected">This call already retried on a new connection once.</param>
/// <param name="TokenReplacedMeanwhile">The token the request carried is no longer the session's current one, or it is due for a refresh.</param>
/// <param name="Status">The HTTP status of the failure, when it is an HTTP answer at all.</param>
/// <param name="ConnectionIsCurrent">The request's connection is still the session's connection.</param>
/// <param name="AnsweredWithRpcError">The server answered with a JSON-RPC error other than "session not found".</param>
/// <param name="HasUpstreamSession">The connection has an upstream session id.</param>
internal readonly record struct CallFailure(
    bool DisconnectedMeanwhile,
    int? RefusalStatus,
    bool TokenSent,
    bool UsesSharedToken,
    bool TokenRefreshed,
    bool Reconnected,
    bool TokenReplacedMeanwhile,
    HttpStatusCode? Status,
    bool ConnectionIsCurrent,
    bool AnsweredWithRpcError,
    bool HasUpstreamSession)
{
    /// <summary>The server refused the access token this request sent (401 with a token).</summary>
    public bool TokenRejected => RefusalStatus == 401 && TokenSent;

    /// <summary>This call's own answer decides, not what other calls in flight met meanwhile.</summary>
    public CallFailureAction Classify()
    {
        if (DisconnectedMeanwhile)
        {
            return CallFailureAction.Disconnected;
        }

        if (RefusalStatus == 403)
        {
            return CallFailureAction.StepUp;
        }

        if (RefusalStatus is not null && !TokenSent)
        {
            return CallFailureAction.UnexpectedChallenge;
        }

        if (TokenRejected)
        {
            return (UsesSharedToken, TokenRefreshed, TokenReplacedMeanwhile) switch
            {
                (true, false, _) => CallFailureAction.RetryWithNewSharedToken,
                (true, true, _) => CallFailureAction.SharedTokenRefused,
                (false, false, true) => CallFailureAction.RetryWithCurrentToken,
                (false, false, false) => CallFailureAction.RefreshAndRetry,
                _ => CallFailureAction.Reauthorize,
            };
        }

        if (Status is null && !ConnectionIsCurrent && !Reconnected)
        {
            return CallFailureAction.RetryOnNewConnection;
        }

        if (AnsweredWithRpcError)
        {
            return CallFailureAction.RelayRpcError;
        }

        if (Status == HttpStatusCode.NotFound && HasUpstreamSession && !Reconnected)
        {
            return CallFailureAction.RetryOnNewSession;
        }

        return Status is not null and not HttpStatusCode.NotFound && (int)Status < 500 ? CallFailureAction.Refused : CallFailureAction.Broken;
    }
}
