namespace McpGrains.Testing;

/// <summary>Behaviour switches of <see cref="ProtectedMcpServer"/>.</summary>
public sealed class ProtectedMcpServerOptions
{
    /// <summary>False: an unprotected MCP server (no bearer check, no metadata).</summary>
    public bool RequireAuthorization { get; set; } = true;

    /// <summary>Added as <c>scope="..."</c> to the 401 challenge.</summary>
    public string? ChallengeScope { get; set; }

    /// <summary>Tokens lacking any of these scopes get 403 <c>error="insufficient_scope"</c> naming them.</summary>
    public IReadOnlyList<string> RequiredScopes { get; set; } = [];

    /// <summary>
    /// Per tool: a <c>tools/call</c> of that tool with a token lacking any of these scopes gets 403
    /// <c>error="insufficient_scope"</c> naming the token's scopes plus these (other requests are let through).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ToolRequiredScopes { get; set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Leave <c>resource_metadata</c> out of the 401 challenge, so clients must probe the well-known URLs.</summary>
    public bool OmitResourceMetadataInChallenge { get; set; }

    /// <summary>Serve the path-inserted RFC 9728 document at <c>/.well-known/oauth-protected-resource/mcp</c>.</summary>
    public bool ServePathMetadata { get; set; } = true;

    /// <summary>Also serve the document at the root form <c>/.well-known/oauth-protected-resource</c>.</summary>
    public bool ServeRootMetadata { get; set; }

    /// <summary>scopes_supported of the metadata; null means the authorization server's list.</summary>
    public IReadOnlyList<string>? ScopesSupported { get; set; }

    /// <summary>
    /// When set, the metadata claims this resource instead of the real MCP URL, and tokens are expected for it: a
    /// server reached through a proxy (set it once the proxy listens), or resource-mismatch tests.
    /// </summary>
    public string? AdvertisedResourceOverride { get; set; }

    /// <summary>Accept tokens issued without a resource (RFC 8707) parameter. False makes the resource mandatory.</summary>
    public bool AcceptTokensWithoutResource { get; set; } = true;

    /// <summary>Hold calls of the <c>respond</c> tool until the test releases them (see <see cref="HeldAnswers"/>).</summary>
    public bool HoldRespondCalls { get; set; }

    /// <summary>Stateful Streamable HTTP sessions (Mcp-Session-Id). The SDK default (2.4.0) is stateless.</summary>
    public bool Stateful { get; set; }

    /// <summary>
    /// Serve https with this certificate (HTTP/1.1 and HTTP/2, offered by ALPN) instead of plain http. Clients must
    /// trust it themselves.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }
}
