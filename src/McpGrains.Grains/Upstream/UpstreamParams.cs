using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Upstream;

/// <summary>How a downstream request's params are dressed for the upstream, on behalf of the client that sent them.</summary>
internal static class UpstreamParams
{
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private const string ClientCapabilitiesMeta = "io.modelcontextprotocol/clientCapabilities";

    /// <summary>
    /// The params as the upstream gets them. Per-request protocol metadata of this hop is removed, except that a
    /// 2026-07-28 upstream learns the capabilities of the client it is really talking to (the client's own, or those
    /// its session declared at initialize); a progress token is replaced by the call's own.
    /// </summary>
    public static JsonNode? Prepare(JsonNode? parameters, bool statelessUpstream, InFlightCall? call)
    {
        if (call is not null)
        {
            call.PassesInputRequired = statelessUpstream && call.Caller.IsStateless;
        }

        var source = parameters as JsonObject;
        var meta = source?["_meta"] as JsonObject;
        if (meta is null && call?.ProgressToken is null && !statelessUpstream)
        {
            return parameters;
        }

        source ??= new JsonObject();
        if (meta is null)
        {
            meta = new JsonObject();
            source["_meta"] = meta;
        }

        foreach (var reserved in meta.Select(p => p.Key).Where(k => k.StartsWith(ReservedMetaPrefix, StringComparison.Ordinal)).ToArray())
        {
            if (!(reserved == ClientCapabilitiesMeta && call is { PassesInputRequired: true }))
            {
                meta.Remove(reserved);
            }
        }

        if (call?.ProgressToken is { } token)
        {
            meta["progressToken"] = token;
        }

        if (statelessUpstream && call is not { PassesInputRequired: true })
        {
            meta[ClientCapabilitiesMeta] = call is null
                ? JsonSerializer.SerializeToNode(UpstreamRelay.Capabilities(), ModelContextProtocol.McpJsonUtilities.DefaultOptions)
                : CapabilitiesJson(call.Caller.Capabilities);
        }

        if (meta.Count == 0)
        {
            source.Remove("_meta");
        }

        return source;
    }

    public static JsonObject CapabilitiesJson(DownstreamCapabilities capabilities)
    {
        var json = new JsonObject();
        if (capabilities.Elicitation || capabilities.ElicitationUrl)
        {
            var elicitation = new JsonObject();
            if (capabilities.Elicitation)
            {
                elicitation["form"] = new JsonObject();
            }

            if (capabilities.ElicitationUrl)
            {
                elicitation["url"] = new JsonObject();
            }

            json["elicitation"] = elicitation;
        }

        if (capabilities.Sampling)
        {
            json["sampling"] = new JsonObject();
        }

        if (capabilities.Roots)
        {
            json["roots"] = new JsonObject();
        }

        return json;
    }
}
