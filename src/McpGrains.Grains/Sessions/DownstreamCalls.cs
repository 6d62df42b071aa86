using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using McpGrains.Downstream;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The downstream requests a session grain has in flight upstream, the progress tokens they travel under, and the
/// server-to-client requests waiting for a downstream client's answer. Used on the grain scheduler (begin, end,
/// deliver) and by the relay off it (lookups), so every collection is concurrent. Each is made on first use: a session
/// that only serves REST or status reads never needs them (three empty concurrent dictionaries were 1.3 KiB of every
/// activation).
/// </summary>
internal sealed class DownstreamCalls
{
    /// <summary>How long a server-to-client request waits for the downstream client (a person may be answering).</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long an answer waits for the front end to take the messages its call sent before it.</summary>
    public static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(10);

    private const string IdPrefix = "mcpgrains-";

    private ConcurrentDictionary<long, InFlightCall>? _inFlight;
    private ConcurrentDictionary<string, InFlightCall>? _byProgressToken;
    private ConcurrentDictionary<string, PendingAnswer>? _pending;
    private long _sequence;

    private ConcurrentDictionary<long, InFlightCall> InFlight => LazyInitializer.EnsureInitialized(ref _inFlight, static () => new());

    private ConcurrentDictionary<string, InFlightCall> ByProgressToken => LazyInitializer.EnsureInitialized(ref _byProgressToken, static () => new(StringComparer.Ordinal));

    private ConcurrentDictionary<string, PendingAnswer> Pending => LazyInitializer.EnsureInitialized(ref _pending, static () => new(StringComparer.Ordinal));

    public InFlightCall Begin(DownstreamCaller caller)
    {
        // The client's own token may collide with another client's on the shared upstream session, and must not be
        // guessable by one: it travels upstream as a fresh random one and is put back on the way down.
        var token = caller.ProgressTokenJson is not null && caller.HasStream ? NewId() : null;
        var call = new InFlightCall(caller, Interlocked.Increment(ref _sequence), token);
        InFlight[call.Sequence] = call;
        if (token is not null)
        {
            ByProgressToken[token] = call;
        }

        return call;
    }

    public void End(InFlightCall call)
    {
        _inFlight?.TryRemove(call.Sequence, out _);
        if (call.ProgressToken is not null)
        {
            _byProgressToken?.TryRemove(call.ProgressToken, out _);
        }
    }

    public bool TryGetByProgressToken(string token, out InFlightCall? call)
    {
        call = null;
        return _byProgressToken?.TryGetValue(token, out call) == true;
    }

    /// <summary>
    /// The call an upstream server request belongs to, when the SDK could not say (a request that arrived on the shared
    /// upstream session): the earliest in-flight call whose client can answer it. Exact when one call is in flight.
    /// </summary>
    public InFlightCall? FindCaller(Func<DownstreamCaller, bool> canAnswer)
    {
        InFlightCall? best = null;
        if (_inFlight is not { } inFlight)
        {
            return null;
        }

        foreach (var call in inFlight.Values)
        {
            if (canAnswer(call.Caller) && (best is null || call.Sequence < best.Sequence))
            {
                best = call;
            }
        }

        return best;
    }

    /// <summary>A server-to-client request about to be sent to the client of <paramref name="sessionHash"/> (null: a stateless client).</summary>
    public (string Id, Task<string> Answer) Expect(string? sessionHash)
    {
        var id = NewId();
        var pending = new PendingAnswer(sessionHash);
        Pending[id] = pending;
        return (id, pending.Completion.Task);
    }

    public void Forget(string id) => _pending?.TryRemove(id, out _);

    /// <summary>Hands a client's answer to the request waiting for it; only the session it was sent to may answer.</summary>
    public bool Deliver(string? sessionHash, string id, string responseJson)
    {
        if (!id.StartsWith(IdPrefix, StringComparison.Ordinal) || _pending is not { } waiting || !waiting.TryGetValue(id, out var pending)
            || !string.Equals(pending.SessionHash, sessionHash, StringComparison.Ordinal)
            || !waiting.TryRemove(id, out _))
        {
            return false;
        }

        return pending.Completion.TrySetResult(responseJson);
    }

    private static string NewId() => IdPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    private sealed class PendingAnswer(string? sessionHash)
    {
        public string? SessionHash { get; } = sessionHash;

        public TaskCompletionSource<string> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
