using System.Collections.Concurrent;

namespace McpGrains.Gateway.Mcp;

/// <summary>This front end's open response streams by call id (unique within the process).</summary>
internal sealed class CallStreams
{
    private readonly ConcurrentDictionary<long, CallStream> _streams = new();
    private long _next;

    public int Count => _streams.Count;

    public CallStream Open()
    {
        var stream = new CallStream(Interlocked.Increment(ref _next));
        _streams[stream.Id] = stream;
        return stream;
    }

    public void Close(CallStream stream) => _streams.TryRemove(stream.Id, out _);

    /// <summary>A message for a stream that has closed meanwhile is dropped.</summary>
    public void Post(long callId, string messageJson)
    {
        if (_streams.TryGetValue(callId, out var stream))
        {
            stream.Post(messageJson);
        }
    }
}
