namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Who sent a request to <c>/mcp/{serverId}</c>: its session (null for a 2026-07-28 client, which has none), the
/// revision it speaks and what it can answer.
/// </summary>
internal sealed record CallerInfo(McpSessionKey Key, string? SessionHash, string ProtocolVersion, DownstreamCapabilities Capabilities)
{
    public bool IsStateless => McpRevisions.IsStateless(ProtocolVersion);

    /// <summary>Whether the client can answer any server-to-client request at all.</summary>
    public bool CanAnswerServerRequests => Capabilities.Elicitation || Capabilities.ElicitationUrl || Capabilities.Sampling || Capabilities.Roots;
}
