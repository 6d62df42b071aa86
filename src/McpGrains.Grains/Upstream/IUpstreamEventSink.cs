using System.Text.Json.Nodes;
using McpGrains.Grains.Sessions;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Where the upstream connection sends what the upstream server pushes: notifications, and server-to-client requests
/// to answer. Called by the MCP SDK off the grain scheduler: implementations must not touch grain state.
/// </summary>
internal interface IUpstreamEventSink
{
    /// <summary>Relays a notification; true when it was taken (relayed or dropped), false to leave it to the SDK.</summary>
    bool OnNotification(JsonRpcNotification notification);

    /// <summary>
    /// Answers elicitation/create, sampling/createMessage and roots/list: a JSON result, or an error result.
    /// <paramref name="call"/> is the forwarded call being answered, when known (an input-required result of its own).
    /// </summary>
    Task<UpstreamResult> OnServerRequestAsync(string method, JsonNode? parameters, InFlightCall? call, CancellationToken cancellationToken);
}
