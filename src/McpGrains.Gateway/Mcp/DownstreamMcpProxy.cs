using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Gateway.Logging;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The request handlers of one downstream MCP session: each forwards its request to the session grain of the bound
/// (tenant, user, server) and maps the answer. Success becomes the SDK result; upstream JSON-RPC errors pass through;
/// an unreachable upstream is an MCP error (a tool result with <c>isError</c> for tool calls, which the model can read
/// out); a missing authorization becomes the prompt of <see cref="AuthorizationPrompt"/>.
/// </summary>
internal sealed class DownstreamMcpProxy
{
    private const string MetaProperty = "_meta";
    private const string ProgressTokenProperty = "progressToken";
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private const string July2026ProtocolVersion = "2026-07-28";

    private readonly DownstreamSession _session;
    private readonly IMcpSessionGrain _grain;
    private readonly DownstreamSessionRegistry _registry;
    private readonly ProgressTokenMap _progress;
    private readonly string _displayName;
    private readonly ILogger _logger;

    public DownstreamMcpProxy(
        DownstreamSession session,
        IMcpSessionGrain grain,
        DownstreamSessionRegistry registry,
        ProgressTokenMap progress,
        string displayName,
        ILogger logger)
    {
        _session = session;
        _grain = grain;
        _registry = registry;
        _progress = progress;
        _displayName = displayName;
        _logger = logger;
    }

    private string ServerId => _session.Key.ServerId;

    public void Configure(McpServerOptions options)
    {
        options.Capabilities ??= new ServerCapabilities();
        options.Capabilities.Tools = new ToolsCapability { ListChanged = true };
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = true, ListChanged = true };
        options.Capabilities.Prompts = new PromptsCapability { ListChanged = true };
#pragma warning disable MCP9005 // Logging is deprecated by 2026-07-28 but clients of earlier revisions use it.
        options.Capabilities.Logging = new LoggingCapability();
#pragma warning restore MCP9005
        options.Capabilities.Completions = new CompletionsCapability();

        var handlers = options.Handlers;
        handlers.ListToolsHandler = ListToolsAsync;
        handlers.CallToolHandler = CallToolAsync;
        handlers.ListResourcesHandler = (context, ct) => ListAsync(context, new ListResourcesResult { Resources = [] }, ct);
        handlers.ListResourceTemplatesHandler = (context, ct) => ListAsync(context, new ListResourceTemplatesResult { ResourceTemplates = [] }, ct);
        handlers.ListPromptsHandler = (context, ct) => ListAsync(context, new ListPromptsResult { Prompts = [] }, ct);
        handlers.ReadResourceHandler = ForwardAsync<ReadResourceRequestParams, ReadResourceResult>;
        handlers.GetPromptHandler = ForwardAsync<GetPromptRequestParams, GetPromptResult>;
        handlers.CompleteHandler = ForwardAsync<CompleteRequestParams, CompleteResult>;
        handlers.SubscribeToResourcesHandler = ForwardAsync<SubscribeRequestParams, EmptyResult>;
        handlers.UnsubscribeFromResourcesHandler = ForwardAsync<UnsubscribeRequestParams, EmptyResult>;
#pragma warning disable MCP9005
        handlers.SetLoggingLevelHandler = ForwardAsync<SetLevelRequestParams, EmptyResult>;
#pragma warning restore MCP9005
    }

    private async ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> context, CancellationToken cancellationToken)
    {
        var result = await SendAsync(context, cancellationToken);
        if (result.Outcome == UpstreamOutcome.AuthorizationRequired)
        {
            return new ListToolsResult { Tools = [AuthorizationPrompt.Tool(ServerId, _displayName)] };
        }

        return IsMethodNotFound(result) ? new ListToolsResult { Tools = [] } : Map<ListToolsRequestParams, ListToolsResult>(context, result);
    }

    /// <summary>
    /// This endpoint advertises every capability whatever the upstream offers (it cannot know before the user has
    /// connected); a list the upstream does not serve is an empty list rather than an error.
    /// </summary>
    private static bool IsMethodNotFound(UpstreamResult result) =>
        result.Outcome == UpstreamOutcome.RpcError && result.RpcError!.Code == (int)McpErrorCode.MethodNotFound;

    private async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        await _registry.RefreshCapabilitiesAsync(_session, cancellationToken);
        if (context.Params?.Name == AuthorizationPrompt.ToolName(ServerId))
        {
            var pending = await ReadableAsync(_grain.GetPendingAuthorizationAsync(_session.UserLabel, _session.UserIdentity, cancellationToken));
            if (pending is not null)
            {
                return PromptToolCall(context, pending);
            }

            // No link to show: connected, or the server's authorization could not be set up (say why).
            var connection = await ReadableAsync(_grain.GetConnectionAsync(cancellationToken));
            return connection.Status == ConnectionStatus.Connected
                ? AuthorizationPrompt.ToolResult($"Your account for {_displayName} is connected; its tools are available.", isError: false)
                : AuthorizationPrompt.ToolResult($"Connecting {_displayName} is not possible right now: {connection.LastError?.Message ?? "the server's authorization could not be discovered"}", isError: true);
        }

        var result = await SendAsync(context, cancellationToken);
        switch (result.Outcome)
        {
            case UpstreamOutcome.Success:
                return Deserialize<CallToolResult>(result.ResultJson);
            case UpstreamOutcome.RpcError:
                throw new McpProtocolException(result.RpcError!.Message, (McpErrorCode)result.RpcError.Code);
            case UpstreamOutcome.AuthorizationRequired when result.Authorization is not null:
                return PromptToolCall(context, result.Authorization);
            default:
                return AuthorizationPrompt.ToolResult(Describe(result), isError: true);
        }
    }

    private async ValueTask<TResult> ListAsync<TParams, TResult>(RequestContext<TParams> context, TResult emptyResult, CancellationToken cancellationToken)
    {
        // Before the user has connected, lists are empty; list_changed follows the authorization.
        var result = await SendAsync(context, cancellationToken);
        return result.Outcome == UpstreamOutcome.AuthorizationRequired || IsMethodNotFound(result) ? emptyResult : Map<TParams, TResult>(context, result);
    }

    private async ValueTask<TResult> ForwardAsync<TParams, TResult>(RequestContext<TParams> context, CancellationToken cancellationToken) =>
        Map<TParams, TResult>(context, await SendAsync(context, cancellationToken));

    private async Task<UpstreamResult> SendAsync<TParams>(RequestContext<TParams> context, CancellationToken cancellationToken)
    {
        await _registry.RefreshCapabilitiesAsync(_session, cancellationToken);
        var method = context.JsonRpcRequest.Method;
        var (parameters, progressToken) = PrepareParams(context.Server, context.JsonRpcRequest.Params);
        try
        {
            var result = await ReadableAsync(_grain.SendAsync(new UpstreamRequest(method, parameters?.ToJsonString(), _session.UserLabel, _session.UserIdentity) { IdentityAssertion = _session.IdentityAssertion }, cancellationToken));
            if (result.Outcome is not UpstreamOutcome.Success and not UpstreamOutcome.RpcError)
            {
                _logger.UpstreamCallFailed(method, _session.Key.Format(), result.Outcome, result.Error?.Code);
            }

            return result;
        }
        finally
        {
            if (progressToken is not null)
            {
                _progress.Release(progressToken);
            }
        }
    }

    /// <summary>
    /// The params to forward: as they came when they carry no <c>_meta</c>; otherwise a copy without the per-request
    /// protocol metadata of this hop (the upstream session has its own) and with a progress token replaced by a
    /// node-unique one. The original is only read: it is serialized before this request ends.
    /// </summary>
    private (JsonNode? Parameters, string? ProgressToken) PrepareParams(McpServer requestServer, JsonNode? original)
    {
        if (original is not JsonObject source || source[MetaProperty] is not JsonObject)
        {
            return (original, null);
        }

        var parameters = (JsonObject)source.DeepClone();
        var meta = (JsonObject)parameters[MetaProperty]!;

        foreach (var reserved in meta.Select(p => p.Key).Where(k => k.StartsWith(ReservedMetaPrefix, StringComparison.Ordinal)).ToArray())
        {
            meta.Remove(reserved);
        }

        string? rewritten = null;
        if (meta[ProgressTokenProperty] is { } token)
        {
            rewritten = _progress.Register(_session, requestServer, token);
            meta[ProgressTokenProperty] = rewritten;
        }

        if (meta.Count == 0)
        {
            parameters.Remove(MetaProperty);
        }

        return (parameters, rewritten);
    }

    private TResult Map<TParams, TResult>(RequestContext<TParams> context, UpstreamResult result) => result.Outcome switch
    {
        UpstreamOutcome.Success => Deserialize<TResult>(result.ResultJson),
        UpstreamOutcome.RpcError => throw new McpProtocolException(result.RpcError!.Message, (McpErrorCode)result.RpcError.Code),
        UpstreamOutcome.AuthorizationRequired when result.Authorization is not null => throw PromptError(context, result.Authorization),
        _ => throw new McpProtocolException(Describe(result), McpErrorCode.InternalError),
    };

    private CallToolResult PromptToolCall(RequestContext<CallToolRequestParams> context, PendingAuthorizationInfo pending)
    {
        var server = context.Server;
        if (UsesInputRequiredResults(server) && context.Params?.InputResponses?.TryGetValue(pending.ElicitationId, out var response) == true)
        {
            // A retry after the client answered our input request: never ask again in a loop.
            var action = response.RawValue.ValueKind == JsonValueKind.Object && response.RawValue.TryGetProperty("action", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
            _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "tool result after input response", pending.ElicitationId);
            return action == "accept"
                ? AuthorizationPrompt.ToolResult(AuthorizationPrompt.Text(_displayName, pending.AuthorizationUrl), isError: true)
                : AuthorizationPrompt.ToolResult($"Connecting your account for {_displayName} was declined; the tool was not called.", isError: true);
        }

        if (UsesInputRequiredResults(server))
        {
            _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "input-required result", pending.ElicitationId);
            throw AuthorizationPrompt.InputRequired(_displayName, pending);
        }

        if (DownstreamSession.DescribeCapabilities(server).ElicitationUrl)
        {
            _session.RecordElicitation(pending.ElicitationId);
            _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "URL elicitation", pending.ElicitationId);
            throw AuthorizationPrompt.UrlElicitationRequired(_displayName, pending);
        }

        _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "tool result", pending.ElicitationId);
        return AuthorizationPrompt.ToolResult(AuthorizationPrompt.Text(_displayName, pending.AuthorizationUrl), isError: true);
    }

    private Exception PromptError<TParams>(RequestContext<TParams> context, PendingAuthorizationInfo pending)
    {
        if (!UsesInputRequiredResults(context.Server) && DownstreamSession.DescribeCapabilities(context.Server).ElicitationUrl)
        {
            _session.RecordElicitation(pending.ElicitationId);
            _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "URL elicitation", pending.ElicitationId);
            return AuthorizationPrompt.UrlElicitationRequired(_displayName, pending);
        }

        _logger.AuthorizationPrompted(context.JsonRpcRequest.Method, _session.Key.Format(), "error message", pending.ElicitationId);
        return AuthorizationPrompt.Error(ServerId, _displayName);
    }

    /// <summary>A grain call whose stored secrets this node cannot decrypt becomes an MCP error with <c>code: secret_unreadable</c>.</summary>
    private static async Task<T> ReadableAsync<T>(Task<T> grainCall)
    {
        try
        {
            return await grainCall;
        }
        catch (SecretUnreadableException ex)
        {
            var error = new McpProtocolException(ex.Message, McpErrorCode.InternalError);
            error.Data["code"] = SecretUnreadableException.Code;
            throw error;
        }
    }

    private string Describe(UpstreamResult result) => result.Outcome switch
    {
        UpstreamOutcome.AuthorizationRequired =>
            $"Your account for {_displayName} must be connected, but the sign-in could not be started: {result.Error?.Message ?? "no reason given"}.",
        UpstreamOutcome.Timeout => $"{_displayName} did not answer in time: {result.Error?.Message}",
        _ => $"{_displayName} is unavailable: {result.Error?.Message ?? "no reason given"}",
    };

    /// <summary>
    /// 2026-07-28 and later, where -32042 is retired for input-required results. Not <c>McpServer.IsMrtrSupported</c>:
    /// that is also true for stateful sessions of earlier revisions, whose input requests the SDK turns into
    /// elicitation/create requests and fails when the client lacks form elicitation.
    /// </summary>
    private static bool UsesInputRequiredResults(McpServer server) =>
        string.CompareOrdinal(server.NegotiatedProtocolVersion, July2026ProtocolVersion) >= 0;

    private static TResult Deserialize<TResult>(string? json) =>
        JsonSerializer.Deserialize<TResult>(json ?? "{}", McpJsonUtilities.DefaultOptions)
            ?? throw new McpProtocolException("The upstream server returned an empty result.", McpErrorCode.InternalError);
}
