using McpGrains.Configuration;
using McpGrains.Downstream;
using McpGrains.Gateway.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// <c>GET /mcp/{serverId}</c>, a session's stream of server-to-client messages, and <c>DELETE</c>, its end; both on any
/// front end. The stream polls the session's grain, which buffers the messages with event ids: a stream re-opened
/// anywhere with <c>Last-Event-ID</c> gets what it missed, and a new stream takes over from an old one.
/// </summary>
internal sealed class McpStreamHandler(IGrainFactory grains, DownstreamSessions sessions, OriginPolicy origins, IOptions<McpGrainsOptions> options)
{
    private const string LastEventIdHeader = "Last-Event-ID";

    public async Task GetAsync(HttpContext context)
    {
        var session = await ResolveAsync(context, requireEventStream: true);
        if (session is not { } found)
        {
            return;
        }

        var cancellationToken = context.RequestAborted;
        var grain = grains.GetGrain<IDownstreamSessionGrain>(found.Hash);
        var streamId = Guid.NewGuid();
        var lastEventId = context.Request.Headers[LastEventIdHeader].ToString();
        try
        {
            var batch = await grain.PollAsync(streamId, lastEventId.Length == 0 ? null : lastEventId, attach: true, cancellationToken);
            if (batch.Status != DownstreamStreamStatus.Open)
            {
                await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, default, -32001, "Session not found");
                return;
            }

            SseWriter.Start(context.Response);
            var sse = new SseWriter(context.Response);
            sse.Prime(batch.Cursor);
            while (true)
            {
                foreach (var item in batch.Events)
                {
                    sse.Message(item.MessageJson, item.Id);
                }

                if (batch.Events.Length == 0)
                {
                    sse.KeepAlive();
                }

                await sse.FlushAsync(cancellationToken);
                batch = await grain.PollAsync(streamId, batch.Cursor, attach: false, cancellationToken);
                if (batch.Status != DownstreamStreamStatus.Open)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client closed the stream; it resumes with Last-Event-ID, on any front end.
        }
    }

    public async Task DeleteAsync(HttpContext context)
    {
        var session = await ResolveAsync(context, requireEventStream: false);
        if (session is { } found)
        {
            await sessions.EndAsync(found.Hash, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    /// <summary>The request's session, or null when a refusal was written.</summary>
    private async Task<(string Hash, DownstreamSessionInfo Info)?> ResolveAsync(HttpContext context, bool requireEventStream)
    {
        if (!McpRequestGate.TryResolve(context, options.Value, origins, out var key, out _, out var problem))
        {
            await problem.ExecuteAsync(context);
            return null;
        }

        if (McpRevisions.IsStateless(context.Request.Headers[McpPostHandler.ProtocolVersionHeader].ToString()))
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status405MethodNotAllowed, default, -32000,
                $"Method Not Allowed: {context.Request.Method} is not part of the 2026-07-28 revision; use subscriptions/listen via POST.");
            return null;
        }

        if (requireEventStream && !context.Request.Headers.Accept.Any(value => value is not null && (value.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) || value.Contains("*/*", StringComparison.Ordinal))))
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status406NotAcceptable, default, -32000, "Not Acceptable: Client must accept text/event-stream");
            return null;
        }

        var sessionId = context.Request.Headers[McpPostHandler.SessionIdHeader].ToString();
        if (sessionId.Length == 0)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, default, -32000, "Bad Request: Mcp-Session-Id header is required.");
            return null;
        }

        var session = await sessions.ResolveAsync(sessionId, context.RequestAborted);
        if (session is not { } found)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, default, -32001, "Session not found");
            return null;
        }

        if (found.Info.Key != key)
        {
            await GatewayProblems.SessionNotYours().ExecuteAsync(context);
            return null;
        }

        return found;
    }
}
