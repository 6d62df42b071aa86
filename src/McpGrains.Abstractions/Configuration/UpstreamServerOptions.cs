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

    /// <summary>
    /// The operator vouches for this server as an internal one: every request McpGrains makes for it (its MCP
    /// connection, discovery from its metadata, registration, token, refresh and revocation requests at the
    /// authorization server it names) may go to private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).
    /// Never loopback (only the development switch allows that), link-local or cloud metadata addresses.
    /// </summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>
    /// The calls McpGrains forwards as raw JSON (most calls of an established connection) go over HTTP/2 when the
    /// server offers it over TLS (ALPN), so the calls of all its users share a few multiplexed connections; a server
    /// without it, or a plain http one, gets HTTP/1.1. What the MCP SDK's client sends (the handshake, the GET stream,
    /// legacy SSE, calls with progress) stays HTTP/1.1. <c>false</c>: HTTP/1.1 only, for a server (or a proxy in front
    /// of it) whose HTTP/2 misbehaves.
    /// </summary>
    public bool Http2 { get; set; } = true;

    public UpstreamOAuthOptions OAuth { get; set; } = new();
}
