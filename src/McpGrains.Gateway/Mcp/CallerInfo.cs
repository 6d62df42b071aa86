namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Who sent a request to <c>/mcp/{serverId}</c>: its session (null for a 2026-07-28 client, which has none), the
/// revision it speaks, what it can answer, and what the host app said about the user on this request (for a sign-in
/// link).
/// </summary>
internal sealed record CallerInfo(McpSessionKey Key, string? SessionHash, string ProtocolVersion, DownstreamCapabilities Capabilities, UserSubject User)
{
    public bool IsStateless => McpRevisions.IsStateless(ProtocolVersion);

    /// <summary>Whether the client can answer any server-to-client request at all.</summary>
    public bool CanAnswerServerRequests => Capabilities.Elicitation || Capabilities.ElicitationUrl || Capabilities.Sampling || Capabilities.Roots;
}
