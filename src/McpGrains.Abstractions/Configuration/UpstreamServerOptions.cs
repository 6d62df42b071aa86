namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Servers:&lt;id&gt;</c>.</summary>
public sealed class UpstreamServerOptions
{
    public string? Url { get; set; }

    /// <summary><c>auto</c> (Streamable HTTP, then legacy SSE), <c>streamable-http</c> or <c>sse</c>.</summary>
    public string Transport { get; set; } = UpstreamTransports.Auto;

    /// <summary>
    /// Pins the MCP protocol revision to speak (e.g. <c>2025-06-18</c>); empty lets the client negotiate (it tries
    /// the newest stateless revision, then falls back to initialize).
    /// </summary>
    public string? ProtocolVersion { get; set; }

    /// <summary>A name for people; defaults to the server id.</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// Before a user has signed in, <c>tools/list</c> on <c>/mcp/{id}</c> shows the server's last known tools (learned
    /// from any connected user of the same host app) beside <c>authorize_{id}</c>; calling any of them answers with the
    /// sign-in link. <c>false</c>: only <c>authorize_{id}</c>.
    /// </summary>
    public bool ToolCatalogBeforeSignIn { get; set; } = true;

    public UpstreamOAuthOptions OAuth { get; set; } = new();
}
