using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Gateway.Logging;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// This node's observer of one session grain: fans upstream notifications out to the node's downstream sessions of
/// that key, completes URL elicitations, and relays upstream server-to-client requests to a session that can answer.
/// </summary>
internal sealed class SessionKeyObserver : IMcpSessionObserver
{
    private static readonly string[] ListChangedAfterAuthorization =
    [
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
    ];

    private readonly ProgressTokenMap _progress;
    private readonly ILogger _logger;
    private ImmutableArray<DownstreamSession> _sessions = [];

    public SessionKeyObserver(McpSessionKey key, ProgressTokenMap progress, ILogger logger)
    {
        Key = key;
        _progress = progress;
        _logger = logger;
    }

    public McpSessionKey Key { get; }

    /// <summary>The Orleans reference to this object; set once by the registry.</summary>
    public IMcpSessionObserver Reference { get; set; } = null!;

    /// <summary>The capabilities last registered with the grain, to re-subscribe when they grow.</summary>
    public DownstreamCapabilities? Subscribed { get; set; }

    // ImmutableArray wraps one reference: reading it is atomic.
    public ImmutableArray<DownstreamSession> Sessions => _sessions;

    public bool IsEmpty => Sessions.IsEmpty;

    /// <summary>Elicitations this node's sessions were given and have not seen completed.</summary>
    public IReadOnlyCollection<string> PendingElicitations => [.. Sessions.SelectMany(s => s.PendingElicitations).Distinct(StringComparer.Ordinal)];

    public void Add(DownstreamSession session) => ImmutableInterlocked.Update(ref _sessions, list => list.Add(session));

    public void Remove(DownstreamSession session) => ImmutableInterlocked.Update(ref _sessions, list => list.Remove(session));

    /// <summary>The union of what this node's clients of the key declared.</summary>
    public DownstreamCapabilities UnionCapabilities()
    {
        var union = DownstreamCapabilities.None;
        foreach (var session in Sessions)
        {
            var c = session.Capabilities;
            union = new DownstreamCapabilities(
                union.Elicitation || c.Elicitation,
                union.ElicitationUrl || c.ElicitationUrl,
                union.Sampling || c.Sampling,
                union.Roots || c.Roots);
        }

        return union;
    }

    public async Task OnNotificationAsync(UpstreamNotification notification)
    {
        var parameters = ParseObject(notification.ParamsJson);
        if (notification.Method == NotificationMethods.ProgressNotification)
        {
            // Only the session whose request carried the token, and only when that request went to this key's
            // upstream (the one that sent this); other nodes and other keys do not know the token and drop it.
            if (parameters?["progressToken"] is JsonValue token && token.TryGetValue<string>(out var rewritten)
                && _progress.TryResolve(Key, rewritten, out var owner, out var requestServer, out var original))
            {
                parameters["progressToken"] = original;
                await SendAsync(requestServer!, owner!, notification.Method, parameters);
            }

            return;
        }

        foreach (var session in Sessions)
        {
            if (session.Server is { } server)
            {
                await SendAsync(server, session, notification.Method, parameters?.DeepClone());
            }
        }
    }

    public async Task OnAuthorizationCompletedAsync(string elicitationId)
    {
        var sessions = Sessions;
        foreach (var session in sessions)
        {
            if (session.Server is not { } server)
            {
                continue;
            }

            if (session.TakeElicitation(elicitationId))
            {
                await SendAsync(server, session, NotificationMethods.ElicitationCompleteNotification, new JsonObject { ["elicitationId"] = elicitationId });
            }

            foreach (var method in ListChangedAfterAuthorization)
            {
                await SendAsync(server, session, method, null);
            }
        }

        _logger.AuthorizationCompletedRelayed(Key.Format(), elicitationId, sessions.Length);
    }

    public async Task<UpstreamResult> OnServerRequestAsync(UpstreamRequest request)
    {
        var parameters = ParseObject(request.ParamsJson);
        foreach (var session in Sessions)
        {
            if (session.Server is not { } server || !CanAnswer(session.Capabilities, request.Method, parameters))
            {
                continue;
            }

            try
            {
                var result = await server.SendRequestAsync<JsonNode?, JsonNode>(request.Method, parameters, McpJsonUtilities.DefaultOptions);
                return UpstreamResult.Success(result?.ToJsonString() ?? "{}");
            }
            catch (McpProtocolException ex)
            {
                return UpstreamResult.Failure(new UpstreamRpcError((int)ex.ErrorCode, ex.Message, null));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.ServerRequestRelayFailed(request.Method, Key.Format(), ex.GetType().Name);
            }
        }

        // Throwing lets the grain try another front end's observer, then decline as the spec says.
        _logger.ServerRequestRelayFailed(request.Method, Key.Format(), "no downstream session on this node can answer");
        throw new InvalidOperationException($"No downstream session on this node can answer {request.Method}.");
    }

    private static bool CanAnswer(DownstreamCapabilities capabilities, string method, JsonObject? parameters) => method switch
    {
        RequestMethods.ElicitationCreate => parameters?["mode"]?.GetValueKind() == JsonValueKind.String && (string?)parameters["mode"] == "url"
            ? capabilities.ElicitationUrl
            : capabilities.Elicitation,
        "sampling/createMessage" => capabilities.Sampling,
        "roots/list" => capabilities.Roots,
        _ => false,
    };

    private async Task SendAsync(McpServer server, DownstreamSession session, string method, JsonNode? parameters)
    {
        try
        {
            await server.SendMessageAsync(new JsonRpcNotification { Method = method, Params = parameters });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A session that is closing; the registry drops it when it ends.
            _logger.DownstreamNotificationFailed(method, session.Id, ex.GetType().Name);
        }
    }

    private static JsonObject? ParseObject(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
