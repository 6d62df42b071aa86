using McpGrains.Configuration;
using McpGrains.Downstream;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Limits;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// <c>POST /mcp/{serverId}</c>: one JSON-RPC message. Session clients (2025-11-25 and earlier) initialize on any front
/// end and send anything else, with <c>Mcp-Session-Id</c>, to any other; 2026-07-28 clients carry everything per
/// request. Requests go to the session grain of the request's key; a client's answers to McpGrains' own server
/// requests go to the grain that waits for them.
/// </summary>
internal sealed class McpPostHandler(
    IGrainFactory grains,
    DownstreamSessions sessions,
    ServerDescriptions descriptions,
    McpCallForwarder forwarder,
    McpStatelessHandler stateless,
    OriginPolicy origins,
    RejectionLogGate rejections,
    IOptions<McpGrainsOptions> options,
    ILoggerFactory loggerFactory)
{
    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    public async Task HandleAsync(HttpContext context)
    {
        if (!McpRequestGate.TryResolve(context, options.Value, origins, out var key, out var user, out var problem))
        {
            await problem.ExecuteAsync(context);
            return;
        }

        if (!Accepts(context.Request))
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status406NotAcceptable, default, -32000, "Not Acceptable: Client must accept both application/json and text/event-stream");
            return;
        }

        // McpGrains:Limits:MaxRequestBodyBytes holds here too when the gateway's middleware is not in the pipeline.
        var maxBodyBytes = options.Value.Limits.MaxRequestBodyBytes;
        using var body = await PooledBody.ReadAsync(context.Request, maxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await GatewayProblems.RequestBodyTooLarge(maxBodyBytes).ExecuteAsync(context);
            return;
        }

        var message = McpMessage.Read(body.Memory);
        if (message.Kind == McpMessageKind.Invalid)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, -32600, "Bad Request: " + message.Problem);
            return;
        }

        var version = context.Request.Headers[ProtocolVersionHeader].ToString();
        if (version.Length > 0 && !McpRevisions.IsSupported(version))
        {
            await WriteUnsupportedVersionAsync(context, message, version);
            return;
        }

        if (McpRevisions.IsStateless(version))
        {
            await stateless.HandleAsync(context, key, user, message, version);
            return;
        }

        await HandleSessionMessageAsync(context, key, user, message, version);
    }

    private async Task HandleSessionMessageAsync(HttpContext context, McpSessionKey key, UserSubject user, McpMessage message, string headerVersion)
    {
        var sessionId = context.Request.Headers[SessionIdHeader].ToString();
        if (sessionId.Length == 0)
        {
            if (message is { Kind: McpMessageKind.Request, Method: RequestMethods.Initialize })
            {
                await InitializeAsync(context, key, message, headerVersion);
                return;
            }

            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, -32000,
                "Bad Request: A new session can only be created by an initialize request. Include a valid Mcp-Session-Id header for non-initialize requests.");
            return;
        }

        var session = await sessions.ResolveAsync(sessionId, context.RequestAborted);
        if (session is not { } found)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, message.Id, -32001, "Session not found");
            return;
        }

        if (found.Info.Key != key)
        {
            await GatewayProblems.SessionNotYours().ExecuteAsync(context);
            return;
        }

        var caller = new CallerInfo(key, found.Hash, found.Info.ProtocolVersion, found.Info.Capabilities, user);
        switch (message.Kind)
        {
            case McpMessageKind.Response:
                // The client's answer to a server request McpGrains sent it, on whichever front end it lands.
                if (message.IdString is { } id)
                {
                    await grains.SessionGrain(key).DeliverClientResponseAsync(found.Hash, id, System.Text.Encoding.UTF8.GetString(message.Body.Span), context.RequestAborted);
                }

                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            case McpMessageKind.Notification:
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
        }

        switch (message.Method)
        {
            case RequestMethods.Initialize:
                await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, -32600, "Bad Request: The session is already initialized.");
                return;
            case RequestMethods.Ping:
                await McpReplyWriter.WriteJsonAsync(context.Response, message.Id, "{}"u8);
                return;
            default:
                await forwarder.ForwardAsync(context, message, caller);
                return;
        }
    }

    private async Task InitializeAsync(HttpContext context, McpSessionKey key, McpMessage message, string headerVersion)
    {
        if (headerVersion.Length > 0 && message.ProtocolVersion is { } requested && requested != headerVersion)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, -32020,
                $"Bad Request: The {ProtocolVersionHeader} header value '{headerVersion}' does not match body params.protocolVersion value '{requested}'.");
            return;
        }

        var version = McpRevisions.Negotiate(message.ProtocolVersion);
        var info = new DownstreamSessionInfo(key, version, ClientCapabilitiesReader.Read(message.Capabilities.Span), message.ClientName, message.ClientVersion);
        var (sessionId, refused) = await sessions.StartAsync(info, context.RequestAborted);
        if (refused is not null)
        {
            // Over a cap of McpGrains:Limits, counted across the cluster: nobody's session is closed to make room.
            if (rejections.ShouldLog(refused.LimitKey, key.TenantId + "/" + key.UserId, TimeSpan.FromMinutes(1)))
            {
                loggerFactory.CreateLogger(LimitsLog.Category).DownstreamSessionLimitReached(key.UserId, key.TenantId, refused.LimitKey, refused.Limit);
            }

            await GatewayProblems.SessionLimitReached(refused.LimitKey, refused.Limit).ExecuteAsync(context);
            return;
        }

        context.Response.Headers[SessionIdHeader] = sessionId;
        await McpReplyWriter.WriteJsonAsync(context.Response, message.Id, descriptions.InitializeResult(key.ServerId, version));
    }

    private static async Task WriteUnsupportedVersionAsync(HttpContext context, McpMessage message, string requested)
    {
        // A request with per-request metadata is a stateless client's: it may choose among the stateless revisions.
        var supported = message.MetaProtocolVersion is not null ? McpRevisions.Stateless : McpRevisions.All;
        var data = System.Text.Json.JsonSerializer.Serialize(new { supported, requested });
        await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, -32022,
            $"Bad Request: The {ProtocolVersionHeader} header value '{requested}' is not supported.", data);
    }

    /// <summary>Streamable HTTP: a client must accept both JSON and server-sent events.</summary>
    private static bool Accepts(HttpRequest request)
    {
        var json = false;
        var sse = false;
        foreach (var value in request.Headers.Accept)
        {
            if (value is null)
            {
                continue;
            }

            var any = value.Contains("*/*", StringComparison.Ordinal);
            json |= any || value.Contains("application/json", StringComparison.OrdinalIgnoreCase);
            sse |= any || value.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        }

        return json && sse;
    }
}
