using System.Collections.Concurrent;
using ModelContextProtocol.Server;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// One downstream MCP session on this node, bound for its whole life to one (tenant, user, server). Remembers the
/// URL elicitations it was given so that only those are completed when the user has authorized.
/// </summary>
internal sealed class DownstreamSession
{
    private readonly ConcurrentDictionary<string, byte> _elicitations = new(StringComparer.Ordinal);
    private McpServer? _server;

    public DownstreamSession(McpSessionKey key, string id, string? userLabel = null, string? userIdentity = null)
    {
        Key = key;
        Id = id;
        UserLabel = userLabel;
        UserIdentity = userIdentity;
    }

    public McpSessionKey Key { get; }

    /// <summary>The label the host app gave the user when the session began (for the sign-in confirmation page).</summary>
    public string? UserLabel { get; }

    /// <summary>The identity the host app named for the user when the session began (binding mode oidc).</summary>
    public string? UserIdentity { get; }

    /// <summary>
    /// The user's identity assertion the host app sent when the session began (enterprise-managed authorization), or
    /// null. A secret; redeemed by the session grain, which keeps it in memory only.
    /// </summary>
    public string? IdentityAssertion { get; init; }

    /// <summary>Node-unique, for logs and progress tokens; not the Mcp-Session-Id (which is a bearer-like secret).</summary>
    public string Id { get; }

    /// <summary>The SDK server of a stateful session, once it runs; null for stateless (2026-07-28) requests.</summary>
    public McpServer? Server
    {
        get => Volatile.Read(ref _server);
        set => Volatile.Write(ref _server, value);
    }

    /// <summary>What the client declared; all false until it has initialized.</summary>
    public DownstreamCapabilities Capabilities => DescribeCapabilities(Server);

    public void RecordElicitation(string elicitationId) => _elicitations.TryAdd(elicitationId, 0);

    public bool TakeElicitation(string elicitationId) => _elicitations.TryRemove(elicitationId, out _);

    /// <summary>Elicitations given to this session and not completed yet.</summary>
    public IReadOnlyCollection<string> PendingElicitations => [.. _elicitations.Keys];

    public static DownstreamCapabilities DescribeCapabilities(McpServer? server)
    {
        var capabilities = server?.ClientCapabilities;
        if (capabilities is null)
        {
            return DownstreamCapabilities.None;
        }

        // Sampling and roots are deprecated by 2026-07-28; initialize-handshake clients still declare them.
#pragma warning disable MCP9005
        return new DownstreamCapabilities(
            Elicitation: capabilities.Elicitation?.Form is not null,
            ElicitationUrl: capabilities.Elicitation?.Url is not null,
            Sampling: capabilities.Sampling is not null,
            Roots: capabilities.Roots is not null);
#pragma warning restore MCP9005
    }
}
