using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.ConformanceServer;

/// <summary>
/// 2026-07-28 <c>subscriptions/listen</c> streams that stay open and carry list changes (the SDK's own handler ends a
/// stateless listen right after acknowledging it): every notification on a stream carries its subscription id.
/// </summary>
internal sealed class ListenStreams
{
    private readonly ConcurrentDictionary<ListenStream, byte> _streams = new();

    public async ValueTask<EmptyResult> ListenAsync(RequestContext<SubscriptionsListenRequestParams> context, CancellationToken cancellationToken)
    {
        var transport = context.JsonRpcRequest.Context?.RelatedTransport ?? throw new McpException("subscriptions/listen needs a request stream.");
        var requested = context.Params?.Notifications ?? new SubscriptionsListenNotifications();
        var stream = new ListenStream(transport, context.JsonRpcRequest.Id, requested);
        await stream.SendAsync(NotificationMethods.SubscriptionsAcknowledgedNotification,
            JsonSerializer.SerializeToNode(new SubscriptionsAcknowledgedNotificationParams { Notifications = requested }, McpJsonUtilities.DefaultOptions)!.AsObject(), cancellationToken);
        _streams[stream] = 0;
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client stopped listening.
        }
        finally
        {
            _streams.TryRemove(stream, out _);
        }

        return new EmptyResult();
    }

    /// <summary>Tells every open stream that asked for changes of this list.</summary>
    public async Task ListChangedAsync(string method)
    {
        foreach (var stream in _streams.Keys)
        {
            if (stream.Wants(method))
            {
                await stream.SendAsync(method, new JsonObject(), CancellationToken.None);
            }
        }
    }

    private sealed class ListenStream(ITransport transport, RequestId id, SubscriptionsListenNotifications requested)
    {
        public bool Wants(string method) => method switch
        {
            NotificationMethods.ToolListChangedNotification => requested.ToolsListChanged == true,
            NotificationMethods.PromptListChangedNotification => requested.PromptsListChanged == true,
            NotificationMethods.ResourceListChangedNotification => requested.ResourcesListChanged == true,
            _ => false,
        };

        public Task SendAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
        {
            parameters["_meta"] = new JsonObject { ["io.modelcontextprotocol/subscriptionId"] = JsonSerializer.SerializeToNode(id, McpJsonUtilities.DefaultOptions) };
            return transport.SendMessageAsync(new JsonRpcNotification { Method = method, Params = parameters }, cancellationToken);
        }
    }
}
