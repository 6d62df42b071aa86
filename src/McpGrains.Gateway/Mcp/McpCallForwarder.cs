using System.Text;
using McpGrains.Downstream;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Forwards one request to the session grain of its key and writes the answer: as JSON, or, when messages may come
/// back during the call (progress, server requests), as a stream of server-sent events ending with the answer. The
/// params go to the grain and the result comes back as raw JSON; nothing is deserialized on the way.
/// </summary>
internal sealed class McpCallForwarder(IGrainFactory grains, DownstreamEndpoint endpoint, McpPrompts prompts, ServerDescriptions descriptions, TimeProvider time, ILoggerFactory loggerFactory)
{
    /// <summary>
    /// How long the answer waits for messages the grain sent before it that have not arrived yet. The grain answers only
    /// once this front end has confirmed them, so this waits only when that confirmation did not come in time.
    /// </summary>
    private static readonly TimeSpan LateMessageWait = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger(DownstreamMcpLog.Category);

    public async Task ForwardAsync(HttpContext context, McpMessage message, CallerInfo caller)
    {
        var cancellationToken = context.RequestAborted;
        var grain = grains.SessionGrain(caller.Key);
        if (message.Method == RequestMethods.ToolsCall && message.Target == AuthorizationPrompt.ToolName(caller.Key.ServerId))
        {
            await McpReplyWriter.WriteJsonAsync(context.Response, message.Id, await ReadableAsync(() => prompts.AuthorizeToolAsync(grain, message, caller, cancellationToken)), caller.IsStateless);
            return;
        }

        if (!NeedsStream(message, caller))
        {
            var reply = await ReadableAsync(async () => await MapAsync(message, caller, await grain.SendAsync(Request(message, caller, null), cancellationToken), cancellationToken));
            await McpReplyWriter.WriteJsonAsync(context.Response, message.Id, reply, caller.IsStateless);
            return;
        }

        var stream = endpoint.Calls.Open();
        try
        {
            SseWriter.Start(context.Response);
            var sse = new SseWriter(context.Response);
            var call = grain.SendAsync(Request(message, caller, stream), cancellationToken);
            var written = await PumpAsync(sse, stream, call, cancellationToken);
            var reply = await ReadableAsync(async () =>
            {
                var result = await call;
                await DrainAsync(sse, stream, result.RelayedMessages - written);
                return await MapAsync(message, caller, result, cancellationToken);
            });
            McpReplyWriter.Write(sse, message.Id, reply);
            await sse.FlushAsync(cancellationToken);
        }
        finally
        {
            endpoint.Calls.Close(stream);
        }
    }

    /// <summary>
    /// Stored secrets this node cannot decrypt (<see cref="SecretUnreadableException"/>, a misconfiguration) become an
    /// MCP error with <c>data.code</c> <c>secret_unreadable</c>, never a bare 500.
    /// </summary>
    private static async Task<McpReply> ReadableAsync(Func<Task<McpReply>> reply)
    {
        try
        {
            return await reply();
        }
        catch (SecretUnreadableException ex)
        {
            return McpReply.Error((int)McpErrorCode.InternalError, ex.Message, $$"""{"code":"{{SecretUnreadableException.Code}}"}""");
        }
    }

    private UpstreamRequest Request(McpMessage message, CallerInfo caller, CallStream? stream) =>
        new(message.Method!, message.ParamsText, caller.User.Label, caller.User.Identity, Caller(caller, stream, message)) { IdentityAssertion = caller.User.IdentityAssertion };

    /// <summary>
    /// A stream is opened when something may come back before the answer: progress the client asked for, or server
    /// requests a session client can answer during the requests that cause them.
    /// </summary>
    private static bool NeedsStream(McpMessage message, CallerInfo caller) =>
        !message.ProgressToken.IsEmpty
        || (!caller.IsStateless && caller.CanAnswerServerRequests
            && message.Method is RequestMethods.ToolsCall or RequestMethods.PromptsGet or RequestMethods.ResourcesRead or RequestMethods.CompletionComplete);

    private DownstreamCaller Caller(CallerInfo caller, CallStream? stream, McpMessage message) => new(
        caller.SessionHash,
        stream is null ? null : endpoint.Reference,
        stream?.Id ?? 0,
        caller.ProtocolVersion,
        caller.Capabilities,
        stream is null || message.ProgressToken.IsEmpty ? null : Encoding.UTF8.GetString(message.ProgressToken.Span));

    /// <summary>Writes the call's messages as they come, until the call has answered; returns how many were written.</summary>
    private static async Task<int> PumpAsync(SseWriter sse, CallStream stream, Task<UpstreamResult> call, CancellationToken cancellationToken)
    {
        var written = 0;
        await sse.FlushAsync(cancellationToken);
        while (!call.IsCompleted)
        {
            await Task.WhenAny(call, stream.Messages.WaitToReadAsync(cancellationToken).AsTask());
            var before = written;
            while (stream.Messages.TryRead(out var message))
            {
                sse.Message(message);
                written++;
            }

            if (written > before)
            {
                await sse.FlushAsync(cancellationToken);
            }
        }

        return written;
    }

    /// <summary>Messages the grain sent before answering may still be on their way: they go first, within a bound.</summary>
    private async Task DrainAsync(SseWriter sse, CallStream stream, int missing)
    {
        var deadline = time.GetTimestamp();
        while (missing > 0)
        {
            while (missing > 0 && stream.Messages.TryRead(out var message))
            {
                sse.Message(message);
                missing--;
            }

            var left = LateMessageWait - time.GetElapsedTime(deadline);
            if (missing == 0 || left <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await stream.Messages.WaitToReadAsync().AsTask().WaitAsync(left, time);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    private async Task<McpReply> MapAsync(McpMessage message, CallerInfo caller, UpstreamResult result, CancellationToken cancellationToken)
    {
        var method = message.Method!;
        if (result.Outcome is not UpstreamOutcome.Success and not UpstreamOutcome.RpcError and not UpstreamOutcome.AuthorizationRequired)
        {
            _logger.UpstreamCallFailed(method, caller.Key.Format(), result.Outcome, result.Error?.Code);
        }

        if (EmptyList(method) is { } empty && (result.Outcome == UpstreamOutcome.AuthorizationRequired || IsMethodNotFound(result)))
        {
            // Before the user has connected, lists are empty (tools: the sign-in tool); list_changed follows the
            // sign-in. This endpoint advertises every capability: a list the upstream does not serve is empty.
            return method == RequestMethods.ToolsList && result.Outcome == UpstreamOutcome.AuthorizationRequired
                ? await prompts.ToolListAsync(caller, cancellationToken)
                : McpReply.Result(empty);
        }

        return result.Outcome switch
        {
            UpstreamOutcome.Success => McpReply.Result(result.ResultJson ?? "{}"),
            UpstreamOutcome.RpcError => McpReply.Error(result.RpcError!.Code, result.RpcError.Message, result.RpcError.DataJson),
            UpstreamOutcome.AuthorizationRequired when result.Authorization is not null => method == RequestMethods.ToolsCall
                ? await prompts.ToolCallAsync(message, caller, result.Authorization)
                : await prompts.ErrorAsync(message, caller, result.Authorization),
            _ when method == RequestMethods.ToolsCall => AuthorizationPrompt.ToolResult(Describe(caller, result), isError: true),
            _ => McpReply.Error((int)McpErrorCode.InternalError, Describe(caller, result)),
        };
    }

    private static bool IsMethodNotFound(UpstreamResult result) =>
        result.Outcome == UpstreamOutcome.RpcError && result.RpcError!.Code == (int)McpErrorCode.MethodNotFound;

    private static string? EmptyList(string method) => method switch
    {
        RequestMethods.ToolsList => """{"tools":[]}""",
        RequestMethods.ResourcesList => """{"resources":[]}""",
        RequestMethods.ResourcesTemplatesList => """{"resourceTemplates":[]}""",
        RequestMethods.PromptsList => """{"prompts":[]}""",
        _ => null,
    };

    private string Describe(CallerInfo caller, UpstreamResult result)
    {
        var displayName = descriptions.DisplayName(caller.Key.ServerId);
        return result.Outcome switch
        {
            UpstreamOutcome.AuthorizationRequired =>
                $"Your account for {displayName} must be connected, but the sign-in could not be started: {result.Error?.Message ?? "no reason given"}.",
            UpstreamOutcome.Timeout => $"{displayName} did not answer in time: {result.Error?.Message}",
            _ => $"{displayName} is unavailable: {result.Error?.Message ?? "no reason given"}",
        };
    }
}
