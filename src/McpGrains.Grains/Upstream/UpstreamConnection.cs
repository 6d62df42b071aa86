using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Configuration;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

// Sampling, roots and logging are deprecated by 2026-07-28 but spoken by every older server we proxy: keep relaying them.
#pragma warning disable MCP9005

namespace McpGrains.Grains.Upstream;

/// <summary>
/// One live MCP client session to an upstream server (Streamable HTTP, legacy HTTP+SSE or the stateless 2026-07-28
/// protocol, as the SDK negotiates), authenticated by <see cref="UpstreamCredentials"/>, and kept on the origin of its
/// endpoint (<see cref="UpstreamOriginGuard"/>). Disposing it ends a Streamable HTTP session with DELETE.
/// </summary>
public sealed partial class UpstreamConnection : IAsyncDisposable
{
    /// <summary>Server-pushed notifications relayed downstream.</summary>
    public static readonly string[] RelayedNotifications =
    [
        NotificationMethods.ToolListChangedNotification,
        NotificationMethods.ResourceListChangedNotification,
        NotificationMethods.PromptListChangedNotification,
        NotificationMethods.ResourceUpdatedNotification,
        NotificationMethods.ProgressNotification,
        NotificationMethods.LoggingMessageNotification,
    ];

    private readonly HttpClient _httpClient;
    private readonly TimeSpan _listTimeout;
    private readonly ILogger _logger;
    private McpClient _client = null!;

    private UpstreamConnection(HttpClient httpClient, TimeSpan listTimeout, ILogger logger)
    {
        _httpClient = httpClient;
        _listTimeout = listTimeout;
        _logger = logger;
    }

    public string? SessionId => _client.SessionId;

    public string? ProtocolVersion => _client.NegotiatedProtocolVersion;

    /// <summary>Completes when the transport closes (server gone, stream ended).</summary>
    public Task Completion => _client.Completion;

    public static async Task<UpstreamConnection> ConnectAsync(
        Uri endpoint,
        string transport,
        UpstreamCredentials credentials,
        HttpMessageHandler primaryHandler,
        bool allowPrivateNetwork,
        IUpstreamEventSink sink,
        TimeSpan connectTimeout,
        string? protocolVersion,
        ILoggerFactory loggerFactory,
        UpstreamExchange exchange,
        CancellationToken cancellationToken)
    {
        // What the server answers the handshake about the token is recorded on this attempt's own exchange. The origin
        // guard sits outside the token handler: a request to another origin is refused before a token is added.
        exchange.MakeCurrent();
        var httpClient = new HttpClient(new UpstreamOriginGuard(endpoint, allowPrivateNetwork, new BearerTokenHandler(credentials, primaryHandler)), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var connection = new UpstreamConnection(httpClient, connectTimeout, loggerFactory.CreateLogger<UpstreamConnection>());
        var transportOptions = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = "mcpgrains-upstream",
            TransportMode = transport switch
            {
                UpstreamTransports.Sse => HttpTransportMode.Sse,
                UpstreamTransports.StreamableHttp => HttpTransportMode.StreamableHttp,
                _ => HttpTransportMode.AutoDetect,
            },
            ConnectionTimeout = connectTimeout,
            OwnsSession = true,
        };

        var options = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "McpGrains", Version = "1.0.0" },
            InitializationTimeout = connectTimeout,
            DiscoverProbeTimeout = connectTimeout,
            ProtocolVersion = string.IsNullOrWhiteSpace(protocolVersion) ? null : protocolVersion,
            Capabilities = new ClientCapabilities
            {
                Elicitation = new ElicitationCapability { Form = new FormElicitationCapability(), Url = new UrlElicitationCapability() },
                Sampling = new SamplingCapability(),
                Roots = new RootsCapability { ListChanged = false },
            },
            Handlers = new McpClientHandlers
            {
                NotificationHandlers = RelayedNotifications.Select(method =>
                    new KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>(method, async (notification, ct) =>
                    {
                        sink.OnNotification(notification.Method, notification.Params is { } p ? JsonSerializer.SerializeToElement(p, McpJsonUtilities.DefaultOptions) : null);
                        if (notification.Method == NotificationMethods.ToolListChangedNotification)
                        {
                            await connection.ListKnownToolsAsync(ct);
                        }
                    })).ToArray(),
                ElicitationHandler = (request, ct) => RelayAsync<ElicitRequestParams, ElicitResult>(sink, RequestMethods.ElicitationCreate, request, ct),
                SamplingHandler = (request, _, ct) => RelayAsync<CreateMessageRequestParams, CreateMessageResult>(sink, RequestMethods.SamplingCreateMessage, request, ct),
                RootsHandler = (request, ct) => RelayAsync<ListRootsRequestParams, ListRootsResult>(sink, RequestMethods.RootsList, request, ct),
            },
        };

        var clientTransport = new HttpClientTransport(transportOptions, httpClient, loggerFactory, ownsHttpClient: false);
        try
        {
            connection._client = await McpClient.CreateAsync(clientTransport, options, loggerFactory, cancellationToken);
        }
        catch
        {
            httpClient.Dispose();
            throw;
        }

        await connection.ListKnownToolsAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Lets the SDK know the server's tools: it mirrors a tool's designated arguments into <c>Mcp-Param-*</c> headers on
    /// <c>tools/call</c> (SEP-2243) and warns on every call of a tool it does not know. Listed once per connection and
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
            await _client.ListToolsAsync(cancellationToken: timeout.Token);
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
    /// Sends one request; JSON-RPC errors from the server surface as <see cref="McpProtocolException"/>. What the
    /// server answered about the token is recorded on <paramref name="exchange"/>, this call's alone.
    /// </summary>
    public async Task<JsonNode?> SendAsync(string method, JsonNode? parameters, UpstreamExchange exchange, CancellationToken cancellationToken)
    {
        exchange.MakeCurrent();
        // Always an object: the SDK adds the per-request _meta (protocol version, client capabilities) to it.
        var response = await _client.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters ?? new JsonObject() }, cancellationToken);
        if (method == RequestMethods.ToolsList && response.Result?["tools"] is JsonArray tools)
        {
            // Known tools let the SDK mirror a tool's designated arguments into HTTP headers on tools/call (SEP-2243).
            // A tool whose header declarations are invalid is dropped from the list; the others stay usable.
            foreach (var node in tools.ToArray())
            {
                try
                {
                    if (TryParseTool(node) is { } tool)
                    {
                        _client.AddKnownTools([tool]);
                    }
                }
                catch (ArgumentException)
                {
                    tools.Remove(node);
                }
            }
        }

        return response.Result;
    }

    private static Tool? TryParseTool(JsonNode? node)
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

    /// <summary>Closing without a bound of its own waits this long at most (see <see cref="CloseAsync"/>).</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);

    public ValueTask DisposeAsync() => new(CloseAsync(DefaultCloseTimeout));

    /// <summary>
    /// Ends the session (a Streamable HTTP session with DELETE, which the SDK sends without a cancellation token) and
    /// releases the connection, within <paramref name="timeout"/>: at the deadline every request still waiting on an
    /// upstream that does not answer is cancelled, and the connection is released all the same.
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var cancelPending = deadline.Token.Register(static client => ((HttpClient)client!).CancelPendingRequests(), _httpClient);
        try
        {
            await _client.DisposeAsync();
        }
        finally
        {
            _httpClient.Dispose();
        }
    }

    private static async ValueTask<TResult> RelayAsync<TParams, TResult>(IUpstreamEventSink sink, string method, TParams? request, CancellationToken cancellationToken)
        where TParams : class
    {
        var parameters = request is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(request, McpJsonUtilities.DefaultOptions);
        var result = await sink.OnServerRequestAsync(method, parameters, cancellationToken);
        if (result.Outcome == UpstreamOutcome.Success && result.ResultJson is not null)
        {
            return JsonSerializer.Deserialize<TResult>(result.ResultJson, McpJsonUtilities.DefaultOptions)
                ?? throw new McpProtocolException("The downstream client returned an empty result.", McpErrorCode.InternalError);
        }

        throw new McpProtocolException(
            result.RpcError?.Message ?? result.Error?.Message ?? "No downstream client can answer this request.",
            (McpErrorCode)(result.RpcError?.Code ?? (int)McpErrorCode.MethodNotFound));
    }
}
