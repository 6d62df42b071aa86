using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

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
    private readonly ConcurrentDictionary<string, (DownstreamSession Session, McpServer RequestServer, JsonNode Token)> _tokens = new(StringComparer.Ordinal);
    private long _next;

    /// <param name="requestServer">
    /// The server of the request's context, bound to that request's response stream: progress travels with the
    /// request, and needs no standalone GET stream.
    /// </param>
    public string Register(DownstreamSession session, McpServer requestServer, JsonNode originalToken)
    {
        var rewritten = _prefix + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _tokens[rewritten] = (session, requestServer, originalToken.DeepClone());
        return rewritten;
    }

    public bool TryResolve(string rewritten, out DownstreamSession? session, out McpServer? requestServer, out JsonNode? originalToken)
    {
        if (_tokens.TryGetValue(rewritten, out var entry))
        {
            session = entry.Session;
            requestServer = entry.RequestServer;
            originalToken = entry.Token.DeepClone();
            return true;
        }

        session = null;
        requestServer = null;
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
