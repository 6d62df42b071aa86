using System.Text.Json;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Where the upstream connection sends what the upstream server pushes: notifications, and server-to-client requests
/// to answer. Called by the MCP SDK off the grain scheduler: implementations must not touch grain state.
/// </summary>
public interface IUpstreamEventSink
{
    void OnNotification(string method, JsonElement? parameters);

    /// <summary>Answers elicitation/create, sampling/createMessage and roots/list: a JSON result, or an error result.</summary>
    Task<UpstreamResult> OnServerRequestAsync(string method, JsonElement? parameters, CancellationToken cancellationToken);
}
