using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// The SDK client transport with a tap on both directions: the upstream's notifications are handed to the relay as
/// they are read, in stream order and before the response that follows them (the SDK would dispatch them on the
/// thread pool, in any order), and an input-required result of a request marked pass-through is disguised so that
/// the SDK returns it instead of answering it itself (a 2026-07-28 downstream client answers it). Messages McpGrains
/// read itself from the answer of a request it sent directly (<see cref="DirectRequestSender"/>) pass the same tap
/// (<see cref="Dispatch"/>) and join the SDK's read loop in order.
/// </summary>
internal sealed class TappedClientTransport(IClientTransport inner, Func<JsonRpcNotification, bool> onNotification) : IClientTransport
{
    /// <summary>Marks a request (in its context items) whose input-required result goes back to the caller.</summary>
    public const string PassThroughItem = "mcpgrains.pass-through";

    /// <summary>What <c>resultType</c> of a passed-through input-required result reads while the SDK sees it.</summary>
    public const string DisguisedInputRequired = "mcpgrains.input_required";

    /// <summary>Where the tap writes the JSON-RPC id the SDK gave a pass-through request.</summary>
    public const string RequestIdItem = "mcpgrains.request-id";

    public const string InputRequired = "input_required";

    private Transport? _transport;

    public string Name => inner.Name;

    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) =>
        _transport = new Transport(await inner.ConnectAsync(cancellationToken), onNotification);

    /// <summary>Forgets a pass-through request that ended without a response (cancelled, failed).</summary>
    public void Forget(IDictionary<string, object?> items)
    {
        if (items.TryGetValue(RequestIdItem, out var id) && id is RequestId requestId)
        {
            _transport?.Forget(requestId);
        }
    }

    /// <summary>
    /// A message McpGrains read itself (from the answer stream of a request it sent directly): tapped like the others,
    /// then handed to the SDK's read loop unless the tap consumed it.
    /// </summary>
    public void Dispatch(JsonRpcMessage message) => _transport?.Dispatch(message);

    private sealed class Transport : ITransport
    {
        private readonly ITransport _inner;
        private readonly ConcurrentDictionary<RequestId, byte> _passThrough = new();

        private readonly Func<JsonRpcNotification, bool> _onNotification;

        /// <summary>What the SDK's read loop reads: the inner transport's messages that passed the tap, and dispatched ones.</summary>
        private readonly Channel<JsonRpcMessage> _messages = Channel.CreateUnbounded<JsonRpcMessage>(new UnboundedChannelOptions { SingleReader = true });

        public Transport(ITransport inner, Func<JsonRpcNotification, bool> onNotification)
        {
            _inner = inner;
            _onNotification = onNotification;
            _ = PumpAsync();
        }

        public string? SessionId => _inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => _messages.Reader;

        public void Dispatch(JsonRpcMessage message)
        {
            if (Inspect(message, _onNotification))
            {
                _messages.Writer.TryWrite(message);
            }
        }

        /// <summary>Moves the inner transport's messages through the tap, in order, and ends as the inner reader ends.</summary>
        private async Task PumpAsync()
        {
            try
            {
                var reader = _inner.MessageReader;
                while (await reader.WaitToReadAsync())
                {
                    while (reader.TryRead(out var message))
                    {
                        Dispatch(message);
                    }
                }

                _messages.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _messages.Writer.TryComplete(ex);
            }
        }

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
        {
            if (message is JsonRpcRequest { Context.Items: { } items } request && items.ContainsKey(PassThroughItem))
            {
                _passThrough[request.Id] = 0;
                items[RequestIdItem] = request.Id;
            }

            return _inner.SendMessageAsync(message, cancellationToken);
        }

        public ValueTask DisposeAsync() => _inner.DisposeAsync();

        /// <summary>Forgets a pass-through request that ended without a response (cancelled, failed).</summary>
        public void Forget(RequestId id) => _passThrough.TryRemove(id, out _);

        /// <summary>True to hand the message to the SDK; false when it was consumed here.</summary>
        public bool Inspect(JsonRpcMessage message, Func<JsonRpcNotification, bool> onNotification)
        {
            switch (message)
            {
                case JsonRpcNotification notification:
                    return !onNotification(notification);
                case JsonRpcResponse response when !_passThrough.IsEmpty && _passThrough.TryRemove(response.Id, out _):
                    if (response.Result is JsonObject result && result["resultType"] is JsonValue type && type.TryGetValue<string>(out var value) && value == InputRequired)
                    {
                        result["resultType"] = DisguisedInputRequired;
                    }

                    return true;
                case JsonRpcError error when !_passThrough.IsEmpty:
                    _passThrough.TryRemove(error.Id, out _);
                    return true;
                default:
                    return true;
            }
        }
    }
}
