using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Progress tokens of downstream requests in flight on this node, rewritten before the request goes upstream: the
/// upstream session is shared by many downstream sessions (on many nodes), whose own tokens may collide. A rewritten
/// token is random (144 bits), so that no one can guess another request's, and it is bound to the session key whose
/// upstream the request went to: a progress notification finds its way back to the one session that asked for it,
/// and only when it comes from that session key's own upstream.
/// </summary>
internal sealed class ProgressTokenMap(TimeProvider timeProvider)
{
    /// <summary>
    /// How long a token stays resolvable after its request has been answered: a progress notification travels apart from
    /// the response (a one-way call) and may arrive just after it.
    /// </summary>
    public static readonly TimeSpan ReleaseDelay = TimeSpan.FromSeconds(10);

    public const string Prefix = "mcpgrains-";

    private const int RandomBytes = 18;

    private readonly ConcurrentDictionary<string, (DownstreamSession Session, McpServer RequestServer, JsonNode Token)> _tokens = new(StringComparer.Ordinal);

    /// <param name="requestServer">
    /// The server of the request's context, bound to that request's response stream: progress travels with the
    /// request, and needs no standalone GET stream.
    /// </param>
    public string Register(DownstreamSession session, McpServer requestServer, JsonNode originalToken)
    {
        var rewritten = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        _tokens[rewritten] = (session, requestServer, originalToken.DeepClone());
        return rewritten;
    }

    /// <summary>The session that registered <paramref name="rewritten"/>, when it belongs to <paramref name="key"/> (whose upstream sent the notification).</summary>
    public bool TryResolve(McpSessionKey key, string rewritten, out DownstreamSession? session, out McpServer? requestServer, out JsonNode? originalToken)
    {
        if (_tokens.TryGetValue(rewritten, out var entry) && entry.Session.Key == key)
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
