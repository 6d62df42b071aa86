using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Downstream;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Sessions;

// What the grain keeps for downstream clients: who listens, which requests are in flight for whom, and how a request
// is dressed for the upstream on behalf of its client.
public sealed partial class McpSessionGrain
{
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
