namespace McpGrains;

public enum UpstreamOutcome
{
    /// <summary>The upstream answered; <see cref="UpstreamResult.ResultJson"/> holds the JSON-RPC result.</summary>
    Success = 0,

    /// <summary>The upstream answered with a JSON-RPC error; <see cref="UpstreamResult.RpcError"/> holds it.</summary>
    RpcError = 1,

    /// <summary>The user must authorize first; <see cref="UpstreamResult.Authorization"/> says where.</summary>
    AuthorizationRequired = 2,

    /// <summary>The upstream could not be reached, refused the connection or the circuit is open.</summary>
    Unavailable = 3,

    /// <summary>The upstream did not answer in time.</summary>
    Timeout = 4,
}
