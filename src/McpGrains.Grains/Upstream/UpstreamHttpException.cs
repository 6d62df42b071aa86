using System.Net;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// A non-2xx HTTP answer of the upstream to a request McpGrains sent itself, with the JSON-RPC error its body carried
/// (if any), read from typed information rather than from an exception message.
/// </summary>
internal sealed class UpstreamHttpException(HttpStatusCode status, UpstreamRpcError? rpcError)
    : HttpRequestException(HttpRequestError.Unknown, $"The upstream answered HTTP {(int)status}.", null, status)
{
    /// <summary>The JSON-RPC error in the answer's body; null when it carried none.</summary>
    public UpstreamRpcError? RpcError { get; } = rpcError;
}
