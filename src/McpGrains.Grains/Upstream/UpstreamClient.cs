using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Configuration;
using McpGrains.Grains.Sessions;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

// Sampling, roots and logging are deprecated by 2026-07-28 but spoken by every older server we proxy: keep relaying them.
#pragma warning disable MCP9005

namespace McpGrains.Grains.Upstream;

/// <summary>
/// One MCP client of an upstream server (Streamable HTTP, legacy HTTP+SSE or the stateless 2026-07-28 protocol, as
/// the SDK negotiates or as pinned), authenticated by <see cref="UpstreamCredentials"/>, and kept on the origin of its
/// endpoint (<see cref="UpstreamOriginGuard"/>). Disposing it ends a Streamable HTTP session with DELETE.
/// </summary>
internal sealed partial class UpstreamClient : IAsyncDisposable
{
    /// <summary>The forwarded call whose request is being sent, for the SDK's callbacks that answer it.</summary>
    private static readonly AsyncLocal<InFlightCall?> CurrentCall = new();

    private readonly HttpClient _httpClient;
    private readonly TimeSpan _listTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private McpClient _client = null!;
    private TappedClientTransport? _tap;

    /// <summary>Sends plain requests of a Streamable HTTP session as raw JSON (null: every request goes through the SDK).</summary>
    private DirectRequestSender? _direct;

    /// <summary>How a request is dressed to go directly, and which requests cannot.</summary>
    private readonly DirectPayloads _payloads = new();
    private Task _listening = Task.CompletedTask;

    private UpstreamClient(HttpClient httpClient, TimeSpan listTimeout, ILogger logger)
    {
        _httpClient = httpClient;
        _listTimeout = listTimeout;
        _logger = logger;
    }

    public string? SessionId => _client.SessionId;

    public string? ProtocolVersion => _client.NegotiatedProtocolVersion;

    /// <summary>A 2026-07-28 (or later) upstream: no session; each request carries its client's capabilities.</summary>
    public bool IsStateless => IsStatelessRevision(ProtocolVersion);

    /// <summary>Completes when the transport closes (server gone, stream ended).</summary>
    public Task Completion => _client.Completion;

    public static bool IsStatelessRevision(string? version) =>
        version is not null && string.CompareOrdinal(version, McpGrains.Downstream.DownstreamCaller.StatelessRevision) >= 0;

    public static async Task<UpstreamClient> ConnectAsync(
        UpstreamTarget target,
        string? protocolVersion,
        UpstreamCredentials credentials,
        HttpMessageHandler primaryHandler,
        IUpstreamEventSink sink,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var (endpoint, connectTimeout) = (target.Endpoint, target.ConnectTimeout);
        // The origin guard sits outside the token handler: a request to another origin is refused before a token is added.
        var probe = new StreamableHttpProbe(endpoint, new UpstreamOriginGuard(endpoint, target.AllowPrivateNetwork, new BearerTokenHandler(credentials, primaryHandler)));
        var httpClient = new HttpClient(probe, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var connection = new UpstreamClient(httpClient, connectTimeout, loggerFactory.CreateLogger<UpstreamClient>());
        var closing = connection._closing.Token;
        bool OnNotification(JsonRpcNotification notification)
        {
            if (notification.Method == NotificationMethods.ToolListChangedNotification)
            {
                // Off the upstream's read loop: the new list is fetched while the stream goes on.
                _ = connection.ListKnownToolsAsync(closing);
            }

            return sink.OnNotification(notification);
        }

        var mode = target.Transport switch
        {
            UpstreamTransports.Sse => HttpTransportMode.Sse,
            UpstreamTransports.StreamableHttp => HttpTransportMode.StreamableHttp,
            _ => HttpTransportMode.AutoDetect,
        };
        var transportOptions = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = "mcpgrains-upstream",
            TransportMode = mode,
            ConnectionTimeout = connectTimeout,
            OwnsSession = true,
        };

        var options = new McpClientOptions
        {
            ClientInfo = DirectPayloads.ClientInfo,
            InitializationTimeout = connectTimeout,
            DiscoverProbeTimeout = connectTimeout,
            ProtocolVersion = string.IsNullOrWhiteSpace(protocolVersion) ? null : protocolVersion,
            Capabilities = UpstreamRelay.Capabilities(),
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, ct) => UpstreamRelay.RelayAsync<ElicitRequestParams, ElicitResult>(sink, RequestMethods.ElicitationCreate, request, CurrentCall.Value, ct),
                SamplingHandler = (request, _, ct) => UpstreamRelay.RelayAsync<CreateMessageRequestParams, CreateMessageResult>(sink, RequestMethods.SamplingCreateMessage, request, CurrentCall.Value, ct),
                RootsHandler = (request, ct) => UpstreamRelay.RelayAsync<ListRootsRequestParams, ListRootsResult>(sink, RequestMethods.RootsList, request, CurrentCall.Value, ct),
            },
        };

        IClientTransport clientTransport = new HttpClientTransport(transportOptions, httpClient, loggerFactory, ownsHttpClient: false);
        if (mode == HttpTransportMode.Sse)
        {
            // The SDK skips server/discover only for its own SSE transport type: leave it unwrapped, with handlers.
            options.Handlers.NotificationHandlers = [.. SessionEventRelay.BroadcastNotifications.Append(NotificationMethods.ProgressNotification)
                .Select(method => new KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>(method, (notification, _) =>
                {
                    OnNotification(notification);
                    return ValueTask.CompletedTask;
                }))];
        }
        else
        {
            clientTransport = connection._tap = new TappedClientTransport(clientTransport, OnNotification);
        }

        try
        {
            connection._client = await McpClient.CreateAsync(clientTransport, options, loggerFactory, cancellationToken);
            if (connection.IsStateless)
            {
                // Each request carries its own client's capabilities: the SDK must add none of McpGrains' to them.
                options.Capabilities = new ClientCapabilities();
                connection.StartListening();
            }

            if (connection._tap is { } tap && probe.Confirmed && connection.ProtocolVersion is { } version)
            {
                // A Streamable HTTP server (a session, none, or the stateless revision): plain requests skip the SDK's
                // typed round trip. A legacy HTTP+SSE server answers on its GET stream: the SDK serves it.
                connection._direct = new DirectRequestSender(probe, endpoint, connection.SessionId, version, tap.Dispatch, target.Http2);
            }
        }
        catch
        {
            connection._closing.Dispose();
            httpClient.Dispose();
            throw;
        }

        await connection.ListKnownToolsAsync(cancellationToken);
        return connection;
    }


    /// <summary>
    /// Sends one request with <paramref name="paramsJson"/> (valid JSON, or null); the server's result comes back as it
    /// wrote it, and its JSON-RPC error as a failed result. For a <paramref name="call"/> that passes input-required
    /// results through, such a result is returned as it came. A plain request of a Streamable HTTP session goes as raw
    /// JSON (<see cref="DirectRequestSender"/>); one whose params McpGrains must dress (per-request metadata, a progress
    /// token, a stateless server, <c>Mcp-Param-*</c> headers) goes through the SDK.
    /// </summary>
    public async Task<UpstreamResult> SendAsync(string method, string? paramsJson, InFlightCall? call, CancellationToken cancellationToken)
    {
        if (_direct is { } direct && call?.ProgressToken is null && _payloads.Prepare(method, paramsJson, call, IsStateless, ProtocolVersion) is { } payload)
        {
            var id = direct.NextId();
            UpstreamResult answer;
            try
            {
                answer = await direct.SendAsync(id, method, payload.Utf8, payload.Name, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The SDK tells the server when it gives up on a request; so does this path, without waiting.
                _ = CancelledAsync(id);
                throw;
            }

            // An input-required result is the SDK's to answer (it asks the downstream client and sends the request
            // again), unless the call's own stateless client answers it.
            if (!(IsStateless && call?.PassesInputRequired != true && DirectPayloads.IsInputRequired(answer)))
            {
                return answer;
            }
        }

        try
        {
            var parameters = paramsJson is null ? null : JsonNode.Parse(paramsJson);
            var result = await SendThroughSdkAsync(method, parameters, call, cancellationToken);
            return UpstreamResult.Success(result?.ToJsonString() ?? "{}");
        }
        catch (McpProtocolException ex)
        {
            return UpstreamResult.Failure(UpstreamRpcErrors.From(ex));
        }
    }

    private async Task CancelledAsync(string id)
    {
        try
        {
            await _client.SendNotificationAsync(NotificationMethods.CancelledNotification, new CancelledNotificationParams { RequestId = new RequestId(id), Reason = "The caller gave up." }, cancellationToken: _closing.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort, as the SDK's own.
        }
    }

    private async Task<JsonNode?> SendThroughSdkAsync(string method, JsonNode? parameters, InFlightCall? call, CancellationToken cancellationToken)
    {
        // Always an object: the SDK adds the per-request _meta (protocol version, client capabilities) to it.
        var request = new JsonRpcRequest { Method = method, Params = UpstreamParams.Prepare(parameters, IsStateless, call) ?? new JsonObject() };
        var passThrough = call?.PassesInputRequired == true && _tap is not null;
        if (passThrough)
        {
            request.Context = new JsonRpcMessageContext { Items = new Dictionary<string, object?> { [TappedClientTransport.PassThroughItem] = true } };
        }

        CurrentCall.Value = call;
        JsonRpcResponse response;
        try
        {
            response = await _client.SendRequestAsync(request, cancellationToken);
        }
        finally
        {
            if (passThrough)
            {
                _tap!.Forget(request.Context!.Items!);
            }
        }

        var result = response.Result;
        if (passThrough && result is JsonObject disguised && disguised["resultType"] is JsonValue type
            && type.TryGetValue<string>(out var value) && value == TappedClientTransport.DisguisedInputRequired)
        {
            disguised["resultType"] = TappedClientTransport.InputRequired;
        }

        if (method == RequestMethods.ToolsList && result?["tools"] is JsonArray tools)
        {
            RememberTools(tools);
        }

        return result;
    }

    /// <summary>
    /// Lets the SDK know the server's tools: it mirrors a tool's designated arguments into <c>Mcp-Param-*</c> headers on
    /// <c>tools/call</c> (SEP-2243) and warns on every call of a tool it does not know. Listed once per client and
    /// again on <c>notifications/tools/list_changed</c>, bounded by the connect timeout; a failure leaves the list as it
    /// was (calls still work, without those headers).
    /// </summary>
    private async Task ListKnownToolsAsync(CancellationToken cancellationToken)
    {
        if (_client?.ServerCapabilities?.Tools is null)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_listTimeout);
        try
        {
            var tools = await _client.ListToolsAsync(cancellationToken: timeout.Token);
            _payloads.NoteHeaderTools(tools.Select(tool => tool.ProtocolTool));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never fails the connection: a caller that gave up notices on its own.
            if (!cancellationToken.IsCancellationRequested)
            {
                LogToolListFailed(_logger, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Known tools let the SDK mirror a tool's designated arguments into HTTP headers on tools/call (SEP-2243). A tool
    /// whose header declarations are invalid is dropped from the list; the others stay usable.
    /// </summary>
    private void RememberTools(JsonArray tools)
    {
        foreach (var node in tools.ToArray())
        {
            try
            {
                if (UpstreamRelay.TryParseTool(node) is { } tool)
                {
                    _client.AddKnownTools([tool]);
                    _payloads.NoteHeaderTools([tool]);
                }
            }
            catch (ArgumentException)
            {
                tools.Remove(node);
            }
        }
    }

    /// <summary>
    /// A 2026-07-28 server tells list changes only on a <c>subscriptions/listen</c> stream: one stays open for the
    /// connection's life, and its notifications reach the relay like any other.
    /// </summary>
    private void StartListening()
    {
        var capabilities = _client.ServerCapabilities;
        if (capabilities.Tools?.ListChanged != true && capabilities.Prompts?.ListChanged != true && capabilities.Resources?.ListChanged != true)
        {
            return;
        }

        _listening = ListenAsync(capabilities, _closing.Token);
    }

    private async Task ListenAsync(ServerCapabilities capabilities, CancellationToken cancellationToken)
    {
        var notifications = new JsonObject();
        if (capabilities.Tools?.ListChanged == true)
        {
            notifications["toolsListChanged"] = true;
        }

        if (capabilities.Prompts?.ListChanged == true)
        {
            notifications["promptsListChanged"] = true;
        }

        if (capabilities.Resources?.ListChanged == true)
        {
            notifications["resourcesListChanged"] = true;
        }

        try
        {
            await _client.SendRequestAsync(new JsonRpcRequest { Method = "subscriptions/listen", Params = new JsonObject { ["notifications"] = notifications } }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No list changes from this server until the next connection; calls are not affected.
        }
    }

    /// <summary>Closing without a bound of its own waits this long at most (see <see cref="CloseAsync"/>).</summary>
    public ValueTask DisposeAsync() => new(CloseAsync(UpstreamConnection.DefaultCloseTimeout));

    /// <summary>
    /// Ends the session (a Streamable HTTP session with DELETE, which the SDK sends without a cancellation token) and
    /// releases the client, within <paramref name="timeout"/>: at the deadline every request still waiting on an
    /// upstream that does not answer is cancelled, and the client is released all the same.
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var cancelPending = deadline.Token.Register(static client => ((HttpClient)client!).CancelPendingRequests(), _httpClient);
        await _closing.CancelAsync();
        try
        {
            await _listening;
            await _client.DisposeAsync();
        }
        finally
        {
            _httpClient.Dispose();
            _closing.Dispose();
        }
    }


}
