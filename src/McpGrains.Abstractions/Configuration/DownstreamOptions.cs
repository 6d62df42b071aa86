namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Downstream</c>: the MCP sessions host apps open on <c>/mcp/{serverId}</c>.</summary>
public sealed class DownstreamOptions
{
    /// <summary>A session not used for this long ends (its id then answers 404).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Server-to-client messages a session keeps for a GET stream resumed with <c>Last-Event-ID</c>.</summary>
    public int EventBufferSize { get; set; } = 1000;

    /// <summary>How long a buffered message stays resumable.</summary>
    public TimeSpan EventBufferLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
