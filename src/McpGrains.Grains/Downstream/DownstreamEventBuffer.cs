using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using McpGrains.Downstream;

namespace McpGrains.Grains.Downstream;

/// <summary>
/// A downstream session's server-to-client messages for its GET stream, bounded by count and age. Event ids are
/// <c>{epoch}.{sequence}</c>: the epoch is new for each activation, so an id of a lost activation (a failed silo) is
/// recognized as such and the resumed stream gets everything the new activation holds.
/// </summary>
internal sealed class DownstreamEventBuffer(int capacity, TimeSpan lifetime)
{
    private readonly string _epoch = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(6));
    private readonly Queue<(long Sequence, string Message, DateTimeOffset At)> _events = new();
    private long _last;
    private long _delivered;

    public string Cursor(long sequence) => _epoch + "." + sequence.ToString(CultureInfo.InvariantCulture);

    public void Append(string message, DateTimeOffset now)
    {
        _events.Enqueue((++_last, message, now));
        Prune(now);
    }

    /// <summary>
    /// The sequence a stream resumes after: the id it last saw, or (a fresh stream) the last one handed to any stream;
    /// an id of another activation or one that does not parse: the start of this buffer.
    /// </summary>
    public long ResumeAfter(string? lastEventId)
    {
        if (lastEventId is null)
        {
            return _delivered;
        }

        var dot = lastEventId.LastIndexOf('.');
        return dot > 0 && lastEventId.AsSpan(0, dot).SequenceEqual(_epoch)
            && long.TryParse(lastEventId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? Math.Min(sequence, _last)
            : 0;
    }

    /// <summary>The messages after <paramref name="sequence"/>, marked delivered.</summary>
    public DownstreamEvent[] TakeAfter(long sequence, DateTimeOffset now)
    {
        Prune(now);
        if (sequence >= _last)
        {
            return [];
        }

        var events = _events.Where(e => e.Sequence > sequence).Select(e => new DownstreamEvent(Cursor(e.Sequence), e.Message)).ToArray();
        _delivered = Math.Max(_delivered, _last);
        return events;
    }

    public bool HasAfter(long sequence) => sequence < _last;

    public void Clear() => _events.Clear();

    private void Prune(DateTimeOffset now)
    {
        while (_events.Count > capacity || (_events.TryPeek(out var oldest) && now - oldest.At > lifetime))
        {
            _events.Dequeue();
        }
    }
}
