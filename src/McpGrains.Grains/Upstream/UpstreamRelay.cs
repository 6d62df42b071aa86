using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

// Sampling, roots and logging are deprecated by 2026-07-28 but spoken by every older server we proxy: keep relaying them.
#pragma warning disable MCP9005

namespace McpGrains.Grains.Upstream;

/// <summary>What the upstream client relays to downstream clients: the capabilities it declares for them, and their answers to server requests.</summary>
internal static class UpstreamRelay
{
    /// <summary>What McpGrains can relay to a downstream client, declared to upstreams on their behalf.</summary>
    public static ClientCapabilities Capabilities() => new()
    {
        Elicitation = new ElicitationCapability { Form = new FormElicitationCapability(), Url = new UrlElicitationCapability() },
        Sampling = new SamplingCapability(),
        Roots = new RootsCapability { ListChanged = false },
    };

    /// <summary>A server request answered by the downstream client of <paramref name="call"/> (or another that can), through the sink.</summary>
    public static async ValueTask<TResult> RelayAsync<TParams, TResult>(IUpstreamEventSink sink, string method, TParams? request, InFlightCall? call, CancellationToken cancellationToken)
        where TParams : class
    {
        var parameters = request is null ? null : JsonSerializer.SerializeToNode(request, McpJsonUtilities.DefaultOptions);
        var result = await sink.OnServerRequestAsync(method, parameters, call, cancellationToken);
        if (result.Outcome == UpstreamOutcome.Success && result.ResultJson is not null)
        {
            return JsonSerializer.Deserialize<TResult>(result.ResultJson, McpJsonUtilities.DefaultOptions)
                ?? throw new McpProtocolException("The downstream client returned an empty result.", McpErrorCode.InternalError);
        }

        throw new McpProtocolException(
            result.RpcError?.Message ?? result.Error?.Message ?? "No downstream client can answer this request.",
            (McpErrorCode)(result.RpcError?.Code ?? (int)McpErrorCode.MethodNotFound));
    }

    public static Tool? TryParseTool(JsonNode? node)
    {
        try
        {
            return node?.Deserialize<Tool>(McpJsonUtilities.DefaultOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
