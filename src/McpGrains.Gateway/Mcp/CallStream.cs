using System.Threading.Channels;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The messages the cluster sends to one response stream this front end holds (a POST answered with server-sent
/// events, or a 2026-07-28 listen stream), in the order they arrive; the handler of the request drains them.
/// </summary>
internal sealed class CallStream(long id)
{
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private int _received;

    public long Id { get; } = id;

    public ChannelReader<string> Messages => _messages.Reader;

    /// <summary>Messages received so far (the grain says how many it sent; the result waits for them).</summary>
    public int Received => Volatile.Read(ref _received);

    public void Post(string messageJson)
    {
        Interlocked.Increment(ref _received);
        _messages.Writer.TryWrite(messageJson);
    }
}
