using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Progress tokens of downstream requests in flight on this node, rewritten to node-unique values before the request
/// goes upstream: the upstream session is shared by many downstream sessions (on many nodes), whose own tokens may
/// collide. A progress notification finds its way back to the one session that asked for it.
/// </summary>
internal sealed class ProgressTokenMap(TimeProvider timeProvider)
{
    /// <summary>
    /// How long a token stays resolvable after its request has been answered: a progress notification travels apart from
    /// the response (a one-way call) and may arrive just after it.
    /// </summary>
    public static readonly TimeSpan ReleaseDelay = TimeSpan.FromSeconds(10);

    private readonly string _prefix = "mcpgrains-" + Guid.NewGuid().ToString("N") + "-";
    private readonly ConcurrentDictionary<string, (DownstreamSession Session, JsonNode Token)> _tokens = new(StringComparer.Ordinal);
    private long _next;

    public string Register(DownstreamSession session, JsonNode originalToken)
    {
        var rewritten = _prefix + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _tokens[rewritten] = (session, originalToken.DeepClone());
        return rewritten;
    }

    public bool TryResolve(string rewritten, out DownstreamSession? session, out JsonNode? originalToken)
    {
        if (_tokens.TryGetValue(rewritten, out var entry))
        {
            session = entry.Session;
            originalToken = entry.Token.DeepClone();
            return true;
        }

        session = null;
        originalToken = null;
        return false;
    }

    /// <summary>Forgets the token once late notifications can no longer be expected.</summary>
    public void Release(string rewritten)
    {
        ITimer? timer = null;
        timer = timeProvider.CreateTimer(
            state =>
            {
                _tokens.TryRemove(rewritten, out _);
                timer?.Dispose();
            },
            state: null,
            ReleaseDelay,
            Timeout.InfiniteTimeSpan);
    }
}
