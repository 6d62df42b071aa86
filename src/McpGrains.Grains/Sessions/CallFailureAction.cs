namespace McpGrains.Grains.Sessions;

/// <summary>What a failed upstream request means (<see cref="CallFailure.Classify"/>).</summary>
internal enum CallFailureAction
{
    /// <summary>The user disconnected while it was in flight: its connection and tokens are gone on purpose.</summary>
    Disconnected,

    /// <summary>403 insufficient_scope (or another 403): a step-up, if the challenge asks for scope.</summary>
    StepUp,

    /// <summary>The server let the unauthenticated connection through, then asked for a token.</summary>
    UnexpectedChallenge,

    /// <summary>McpGrains' own token was refused: the server grain obtains a new one, once.</summary>
    RetryWithNewSharedToken,

    /// <summary>McpGrains' own token was refused again: not the user's to fix.</summary>
    SharedTokenRefused,

    /// <summary>Another call met the same 401 first: the token is replaced already, or marked for the refresh the retry makes.</summary>
    RetryWithCurrentToken,

    /// <summary>The first 401: the token is treated as expired, refreshed, and the request retried once.</summary>
    RefreshAndRetry,

    /// <summary>A 401 on a freshly refreshed token: the user must authorize again.</summary>
    Reauthorize,

    /// <summary>Another call (or the idle check) closed or replaced the connection under the request: try once more.</summary>
    RetryOnNewConnection,

    /// <summary>The server answered with a JSON-RPC error (over a non-2xx status): relayed, the connection is healthy.</summary>
    RelayRpcError,

    /// <summary>The server forgot the upstream session (404): a new one, and one retry.</summary>
    RetryOnNewSession,

    /// <summary>Another 4xx: the server refused the request.</summary>
    Refused,

    /// <summary>A 5xx or a transport failure: the connection is broken.</summary>
    Broken,
}
