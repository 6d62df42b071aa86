using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Downstream;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// A 2026-07-28 client's <c>subscriptions/listen</c>: a stream that first acknowledges the subscription, then carries
/// the notifications it asked for (list changes, updates of the resources it named), each tagged with the
/// subscription id. The front end holding it registers it with the session grain of its key and renews the
/// registration while the client listens.
/// </summary>
internal sealed class McpListenHandler(IGrainFactory grains, DownstreamEndpoint endpoint, TimeProvider time)
{
    public const string AcknowledgedNotification = "notifications/subscriptions/acknowledged";

    /// <summary>Renewed well within the grain's registration lifetime.</summary>
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(60);

    public async Task ListenAsync(HttpContext context, McpMessage message, CallerInfo caller)
    {
        var cancellationToken = context.RequestAborted;
        var granted = Requested(message);
        var subscriptionId = Encoding.UTF8.GetString(message.Id.Span);
        var grain = grains.SessionGrain(caller.Key);
        var stream = endpoint.Calls.Open();
        var listener = new DownstreamListener(endpoint.Reference, stream.Id, subscriptionId,
            granted.ToolsListChanged == true, granted.PromptsListChanged == true, granted.ResourcesListChanged == true, [.. granted.ResourceSubscriptions ?? []]);
        try
        {
            await grain.ListenAsync(listener, cancellationToken);
            SseWriter.Start(context.Response);
            var sse = new SseWriter(context.Response);
            sse.Message(Acknowledgement(granted, subscriptionId));
            await sse.FlushAsync(cancellationToken);
            var renewAt = time.GetTimestamp();
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = Renewal - time.GetElapsedTime(renewAt);
                if (wait <= TimeSpan.Zero)
                {
                    await grain.ListenAsync(listener, cancellationToken);
                    renewAt = time.GetTimestamp();
                    continue;
                }

                try
                {
                    await stream.Messages.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(wait, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    sse.KeepAlive();
                    await sse.FlushAsync(cancellationToken);
                    continue;
                }

                while (stream.Messages.TryRead(out var notification))
                {
                    sse.Message(notification);
                }

                await sse.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client stopped listening.
        }
        finally
        {
            endpoint.Calls.Close(stream);
            await grain.StopListeningAsync(endpoint.Reference, stream.Id, CancellationToken.None);
        }
    }

    /// <summary>What the client asked for; McpGrains advertises every list change and resource subscriptions, so all of it is granted.</summary>
    private static SubscriptionsListenNotifications Requested(McpMessage message)
    {
        if (message.Params.IsEmpty)
        {
            return new SubscriptionsListenNotifications();
        }

        using var document = JsonDocument.Parse(message.Params);
        return document.RootElement.TryGetProperty("notifications", out var notifications) && notifications.ValueKind == JsonValueKind.Object
            ? notifications.Deserialize<SubscriptionsListenNotifications>(McpJsonUtilities.DefaultOptions) ?? new SubscriptionsListenNotifications()
            : new SubscriptionsListenNotifications();
    }

    private static string Acknowledgement(SubscriptionsListenNotifications granted, string subscriptionId)
    {
        var parameters = new JsonObject
        {
            ["notifications"] = JsonSerializer.SerializeToNode(granted, McpJsonUtilities.DefaultOptions),
            ["_meta"] = new JsonObject { ["io.modelcontextprotocol/subscriptionId"] = JsonNode.Parse(subscriptionId) },
        };
        return new JsonObject { ["jsonrpc"] = "2.0", ["method"] = AcknowledgedNotification, ["params"] = parameters }.ToJsonString();
    }
}
