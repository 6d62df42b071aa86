using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Downstream;
using McpGrains.Grains.Upstream;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Sessions;

// What the grain keeps for downstream clients: who listens, which requests are in flight for whom, and how a request
// is dressed for the upstream on behalf of its client.
public sealed partial class McpSessionGrain
{
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private const string ClientCapabilitiesMeta = "io.modelcontextprotocol/clientCapabilities";

    /// <summary>The last tool list reported to the host app's catalog, to report only changes.</summary>
    private string? _reportedTools;

    public Task SubscribeAsync(IMcpSessionObserver observer, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _registrations.Register(observer, capabilities ?? DownstreamCapabilities.None);
        StayActiveWhileListened();
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IMcpSessionObserver observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _registrations.Unregister(observer);
        return Task.CompletedTask;
    }

    public Task<bool> DeliverClientResponseAsync(string? sessionHash, string requestId, string responseJson, CancellationToken cancellationToken = default) =>
        Task.FromResult(_calls.Deliver(sessionHash, requestId, responseJson));

    public Task<bool> AttachDownstreamAsync(string sessionHash, DownstreamCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionHash);
        _registrations.RegisterSession(sessionHash, capabilities ?? DownstreamCapabilities.None, hasStream: true);
        StayActiveWhileListened();
        return Task.FromResult(_machine.Status == ConnectionStatus.Connected || _server?.Outcome == ServerAuthorizationOutcome.NotRequired);
    }

    public Task DetachDownstreamAsync(string sessionHash, CancellationToken cancellationToken = default)
    {
        _registrations.UnregisterSession(sessionHash);
        return Task.CompletedTask;
    }

    public Task ListenAsync(DownstreamListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _registrations.RegisterListener(listener);
        StayActiveWhileListened();
        return Task.CompletedTask;
    }

    public Task StopListeningAsync(IDownstreamEndpoint endpoint, long callId, CancellationToken cancellationToken = default)
    {
        _registrations.UnregisterListener(endpoint, callId);
        return Task.CompletedTask;
    }

    /// <summary>Registrations live in this activation only: stay active while someone listens.</summary>
    private void StayActiveWhileListened() => this.DelayDeactivation(DownstreamRegistrations.Lifetime);

    private InFlightCall BeginCall(DownstreamCaller caller)
    {
        if (caller.SessionHash is { } session && !_registrations.IsFresh(session))
        {
            // A session that calls hears the key's notifications, even before (or without) a GET stream.
            _registrations.RegisterSession(session, caller.Capabilities, hasStream: _registrations.Sessions.Any(s => s.SessionHash == session && s.HasStream));
            StayActiveWhileListened();
        }

        return _calls.Begin(caller);
    }

    /// <summary>
    /// The params as the upstream gets them. Per-request protocol metadata of this hop is removed, except that a
    /// 2026-07-28 upstream learns the capabilities of the client it is really talking to (the client's own, or those
    /// its session declared at initialize); a progress token is replaced by the call's own.
    /// </summary>
    private static JsonNode? PrepareForUpstream(JsonNode? parameters, UpstreamConnection connection, InFlightCall? call)
    {
        var statelessUpstream = connection.IsStateless;
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
                ? JsonSerializer.SerializeToNode(UpstreamConnection.RelayCapabilities(), ModelContextProtocol.McpJsonUtilities.DefaultOptions)
                : CapabilitiesJson(call.Caller.Capabilities);
        }

        if (meta.Count == 0)
        {
            source.Remove("_meta");
        }

        return source;
    }

    private static JsonObject CapabilitiesJson(DownstreamCapabilities capabilities)
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

    /// <summary>A first page of tools a connected user saw becomes the host app's catalog, shown before others sign in.</summary>
    private async Task OnAnsweredAsync(UpstreamRequest request, UpstreamResult result)
    {
        if (request.Method != RequestMethods.ToolsList || result.Outcome != UpstreamOutcome.Success || request.ParamsJson?.Contains("\"cursor\"", StringComparison.Ordinal) == true
            || string.Equals(result.ResultJson, _reportedTools, StringComparison.Ordinal))
        {
            return;
        }

        _reportedTools = result.ResultJson;
        using var document = JsonDocument.Parse(result.ResultJson!);
        if (document.RootElement.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            await GrainFactory.GetGrain<IToolCatalogGrain>(IToolCatalogGrain.Key(_key.TenantId, _key.ServerId)).ReportToolsAsync(tools.GetRawText());
        }
    }
}
