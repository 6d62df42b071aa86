namespace McpGrains.Configuration;

/// <summary>The <c>McpGrains</c> configuration section. Key names are a public contract: do not rename.</summary>
public sealed class McpGrainsOptions
{
    public const string SectionName = "McpGrains";

    /// <summary>The externally visible base URL; the OAuth redirect URI is <c>{PublicBaseUrl}/oauth/callback</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Upstream MCP servers by server id.</summary>
    public Dictionary<string, UpstreamServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Host apps (tenants) by name, each with its API key.</summary>
    public Dictionary<string, HostAppOptions> HostApps { get; set; } = new(StringComparer.Ordinal);

    public SecurityOptions Security { get; set; } = new();

    public AuthorizationOptions Authorization { get; set; } = new();

    public UpstreamConnectionOptions Upstream { get; set; } = new();

    /// <summary>The request header that carries the user id on the downstream MCP endpoint.</summary>
    public string UserIdHeader { get; set; } = "X-User-Id";

    /// <summary>The redirect URI registered with every authorization server.</summary>
    public string RedirectUri => $"{PublicBaseUrl?.TrimEnd('/')}/oauth/callback";
}
