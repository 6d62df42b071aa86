using System.Text.Json;
using McpGrains.Grains.Upstream;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Fans upstream notifications out to the front ends' observers and relays server-to-client requests to one that can
/// answer. The MCP SDK calls it off the grain scheduler, so it reads an immutable snapshot of the registrations that
/// the grain replaces on its own scheduler; it never touches grain state.
/// </summary>
internal sealed partial class SessionEventRelay : IUpstreamEventSink
{
    /// <summary>A registration not renewed within this time is dropped.</summary>
    public static readonly TimeSpan RegistrationLifetime = TimeSpan.FromMinutes(3);

    private readonly McpSessionKey _key;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<IMcpSessionObserver, ObserverRegistration> _registrations = new();
    private volatile ObserverRegistration[] _snapshot = [];

    public SessionEventRelay(McpSessionKey key, TimeProvider time, ILogger logger)
    {
        _key = key;
        _time = time;
        _logger = logger;
    }

    public int Count => _snapshot.Length;

    /// <summary>Grain scheduler only.</summary>
    public void Register(IMcpSessionObserver observer, DownstreamCapabilities capabilities)
    {
        _registrations[observer] = new ObserverRegistration(observer, capabilities, _time.GetUtcNow() + RegistrationLifetime);
        Publish();
    }

    /// <summary>Grain scheduler only.</summary>
    public void Unregister(IMcpSessionObserver observer)
    {
        if (_registrations.Remove(observer))
        {
            Publish();
        }
    }

    /// <summary>Live registrations, for calls made on the grain scheduler.</summary>
    public IReadOnlyList<ObserverRegistration> Current => _snapshot;

    public void OnNotification(string method, JsonElement? parameters)
    {
        var notification = new UpstreamNotification(method, parameters?.GetRawText());
        var now = _time.GetUtcNow();
        foreach (var registration in _snapshot)
        {
            if (registration.ExpiresAt > now)
            {
                // One-way calls: they return once queued, so a slow front end cannot hold up the upstream stream.
                _ = registration.Observer.OnNotificationAsync(notification);
            }
        }
    }

    public async Task<UpstreamResult> OnServerRequestAsync(string method, JsonElement? parameters, CancellationToken cancellationToken)
    {
        var request = new UpstreamRequest(method, parameters?.GetRawText());
        var now = _time.GetUtcNow();
        foreach (var registration in _snapshot)
        {
            if (registration.ExpiresAt <= now || !CanAnswer(registration.Capabilities, method, parameters))
            {
                continue;
            }

            try
            {
                return await registration.Observer.OnServerRequestAsync(request).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRelayFailed(_logger, _key, method, ex.GetType().Name);
            }
        }

        return Decline(method);
    }

    /// <summary>What the spec says to answer when no downstream client declared the capability.</summary>
    public static UpstreamResult Decline(string method) => method switch
    {
        "elicitation/create" => UpstreamResult.Success("""{"action":"decline"}"""),
        "roots/list" => UpstreamResult.Success("""{"roots":[]}"""),
        _ => UpstreamResult.Failure(new UpstreamRpcError(-32601, $"No connected client supports {method}.", null)),
    };

    private static bool CanAnswer(DownstreamCapabilities capabilities, string method, JsonElement? parameters) => method switch
    {
        "elicitation/create" => IsUrlElicitation(parameters) ? capabilities.ElicitationUrl : capabilities.Elicitation,
        "sampling/createMessage" => capabilities.Sampling,
        "roots/list" => capabilities.Roots,
        _ => false,
    };

    private static bool IsUrlElicitation(JsonElement? parameters) =>
        parameters is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String && mode.GetString() == "url";

    private void Publish()
    {
        var now = _time.GetUtcNow();
        foreach (var expired in _registrations.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToArray())
        {
            _registrations.Remove(expired);
        }

        _snapshot = [.. _registrations.Values];
    }

    [LoggerMessage(LogEvents.SessionRelayFailed, LogLevel.Warning, "Session {SessionKey}: relaying {Method} to a front end failed ({ExceptionType}); trying the next")]
    private static partial void LogRelayFailed(ILogger logger, McpSessionKey sessionKey, string method, string exceptionType);
}
