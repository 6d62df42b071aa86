using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Downstream;
using McpGrains.Grains.Upstream;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

// Sampling, roots and logging are deprecated by 2026-07-28 but spoken by every older server and client we relay for.
#pragma warning disable MCP9005

namespace McpGrains.Grains.Sessions;

/// <summary>
/// Carries what the upstream pushes to whoever must hear it. Request-scoped messages (progress, a server request
/// during a call) go to the stream of the downstream request they belong to; session-scoped ones (list changes,
/// resource updates, logging, a sign-in's completion) go to every registered downstream session's GET stream buffer,
/// every front-end observer and every matching 2026-07-28 listen stream. The MCP SDK calls it off the grain
/// scheduler: it reads snapshots and concurrent collections, never grain state.
/// </summary>
internal sealed partial class SessionEventRelay : IUpstreamEventSink
{
    /// <summary>Session-scoped notifications relayed downstream.</summary>
    public static readonly HashSet<string> BroadcastNotifications = new(StringComparer.Ordinal)
    {
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
        NotificationMethods.ResourceUpdatedNotification,
        NotificationMethods.LoggingMessageNotification,
    };

    private static readonly string[] ListChangedAfterAuthorization =
    [
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
    ];

    private readonly McpSessionKey _key;
    private readonly DownstreamRegistrations _registrations;
    private readonly DownstreamCalls _calls;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SessionEventRelay(McpSessionKey key, DownstreamRegistrations registrations, DownstreamCalls calls, IGrainFactory grains, TimeProvider time, ILogger logger)
    {
        _key = key;
        _registrations = registrations;
        _calls = calls;
        _grains = grains;
        _time = time;
        _logger = logger;
    }

    public bool OnNotification(JsonRpcNotification notification)
    {
        if (notification.Method == NotificationMethods.ProgressNotification)
        {
            RelayProgress(notification.Params);
            return true;
        }

        if (!BroadcastNotifications.Contains(notification.Method))
        {
            return false;
        }

        Broadcast(notification.Method, DownstreamMessages.WithoutUpstreamSubscription(notification.Params));
        return true;
    }

    /// <summary>Grain scheduler: the user signed in; every listener learns that the lists changed.</summary>
    public async Task NotifyAuthorizationCompletedAsync(string elicitationId)
    {
        foreach (var registration in _registrations.Observers)
        {
            await registration.Observer.OnAuthorizationCompletedAsync(elicitationId);
        }

        foreach (var session in _registrations.Sessions)
        {
            await Session(session.SessionHash).OnAuthorizationCompletedAsync(elicitationId);
        }

        foreach (var method in ListChangedAfterAuthorization)
        {
            await SendToListenersAsync(method, null);
        }
    }

    public async Task<UpstreamResult> OnServerRequestAsync(string method, JsonNode? parameters, InFlightCall? call, CancellationToken cancellationToken)
    {
        // The call that caused it, when the SDK says (an input-required result of that call), else the earliest call in
        // flight whose client can answer: the upstream session is shared by all of the user's downstream sessions.
        var target = call is not null && CanAnswer(call.Caller.Capabilities, method, parameters)
            ? call
            : _calls.FindCaller(caller => caller is { HasStream: true, IsStateless: false } && CanAnswer(caller.Capabilities, method, parameters));
        if (target?.Caller is { HasStream: true, IsStateless: false })
        {
            var (id, answer) = _calls.Expect(target.Caller.SessionHash);
            await target.SendAsync(DownstreamMessages.Request(id, method, parameters));
            return await AwaitAnswerAsync(id, answer, method, cancellationToken);
        }

        foreach (var session in _registrations.Sessions)
        {
            if (session.HasStream && CanAnswer(session.Capabilities, method, parameters))
            {
                var (id, answer) = _calls.Expect(session.SessionHash);
                await Session(session.SessionHash).OnMessageAsync(DownstreamMessages.Request(id, method, parameters));
                return await AwaitAnswerAsync(id, answer, method, cancellationToken);
            }
        }

        var request = new UpstreamRequest(method, parameters?.ToJsonString());
        foreach (var registration in _registrations.Observers)
        {
            if (registration.ExpiresAt <= _time.GetUtcNow() || !CanAnswer(registration.Capabilities, method, parameters))
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
        RequestMethods.ElicitationCreate => UpstreamResult.Success("""{"action":"decline"}"""),
        RequestMethods.RootsList => UpstreamResult.Success("""{"roots":[]}"""),
        _ => UpstreamResult.Failure(new UpstreamRpcError(-32601, $"No connected client supports {method}.", null)),
    };

    public static bool CanAnswer(DownstreamCapabilities capabilities, string method, JsonNode? parameters) => method switch
    {
        RequestMethods.ElicitationCreate => IsUrlElicitation(parameters) ? capabilities.ElicitationUrl : capabilities.Elicitation,
        RequestMethods.SamplingCreateMessage => capabilities.Sampling,
        RequestMethods.RootsList => capabilities.Roots,
        _ => false,
    };

    private static bool IsUrlElicitation(JsonNode? parameters) =>
        parameters is JsonObject p && p["mode"] is JsonValue mode && mode.TryGetValue<string>(out var value) && value == "url";

    private async Task<UpstreamResult> AwaitAnswerAsync(string id, Task<string> answer, string method, CancellationToken cancellationToken)
    {
        try
        {
            return DownstreamMessages.ReadAnswer(await answer.WaitAsync(DownstreamCalls.AnswerTimeout, _time, cancellationToken));
        }
        catch (TimeoutException)
        {
            LogRelayFailed(_logger, _key, method, "no answer in time");
            return Decline(method);
        }
        finally
        {
            _calls.Forget(id);
        }
    }

    private void RelayProgress(JsonNode? parameters)
    {
        if (parameters is JsonObject p && p["progressToken"] is JsonValue token && token.TryGetValue<string>(out var value)
            && _calls.TryGetByProgressToken(value, out var call) && call!.Caller.ProgressTokenJson is { } original)
        {
            var copy = (JsonObject)p.DeepClone();
            copy["progressToken"] = JsonNode.Parse(original);
            _ = call.SendAsync(DownstreamMessages.Notification(NotificationMethods.ProgressNotification, copy));
        }
    }

    private void Broadcast(string method, JsonNode? parameters)
    {
        // One-way calls: they return once queued, so a slow receiver cannot hold up the upstream stream.
        var message = DownstreamMessages.Notification(method, parameters);
        foreach (var session in _registrations.Sessions)
        {
            _ = Session(session.SessionHash).OnMessageAsync(message);
        }

        if (_registrations.Observers.Count > 0)
        {
            var notification = new UpstreamNotification(method, parameters?.ToJsonString());
            var now = _time.GetUtcNow();
            foreach (var registration in _registrations.Observers)
            {
                if (registration.ExpiresAt > now)
                {
                    _ = registration.Observer.OnNotificationAsync(notification);
                }
            }
        }

        _ = SendToListenersAsync(method, parameters);
    }

    private async Task SendToListenersAsync(string method, JsonNode? parameters)
    {
        foreach (var registration in _registrations.Listeners)
        {
            var listener = registration.Listener;
            if (Wants(listener, method, parameters))
            {
                await listener.Endpoint.OnCallMessageAsync(listener.CallId, DownstreamMessages.ForSubscription(method, parameters, listener.SubscriptionIdJson));
            }
        }
    }

    private static bool Wants(DownstreamListener listener, string method, JsonNode? parameters) => method switch
    {
        NotificationMethods.ToolListChangedNotification => listener.ToolsListChanged,
        NotificationMethods.PromptListChangedNotification => listener.PromptsListChanged,
        NotificationMethods.ResourceListChangedNotification => listener.ResourcesListChanged,
        NotificationMethods.ResourceUpdatedNotification => parameters?["uri"] is JsonValue uri && uri.TryGetValue<string>(out var value)
            && listener.ResourceSubscriptions.Contains(value, StringComparer.Ordinal),
        _ => false,
    };

    private IDownstreamSessionGrain Session(string sessionHash) => _grains.GetGrain<IDownstreamSessionGrain>(sessionHash);

    [LoggerMessage(LogEvents.SessionRelayFailed, LogLevel.Warning, "Session {SessionKey}: relaying {Method} to a downstream client failed ({Reason}); trying the next")]
    private static partial void LogRelayFailed(ILogger logger, McpSessionKey sessionKey, string method, string reason);
}
