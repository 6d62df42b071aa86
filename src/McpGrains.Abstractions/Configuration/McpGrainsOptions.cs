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

    public DownstreamOptions Downstream { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    /// <summary>The request header that carries the user id on the downstream MCP endpoint.</summary>
    public string UserIdHeader { get; set; } = "X-User-Id";

    /// <summary>
    /// The request header that carries a label for the user (an e-mail address) on the downstream MCP endpoint and the
    /// REST upstream endpoints: shown on the sign-in confirmation page as the account the link connects.
    /// </summary>
    public string UserLabelHeader { get; set; } = "X-User-Label";

    /// <summary>The client ID metadata document URL in force (see <see cref="AuthorizationOptions.ClientMetadataDocumentUrl"/>), or null.</summary>
    public string? EffectiveClientMetadataDocumentUrl =>
        Authorization.ClientMetadataDocumentUrl is { } configured
            ? (configured.Length == 0 ? null : configured)
            : PublicBaseUrl is { } baseUrl && baseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? $"{baseUrl.TrimEnd('/')}{ClientMetadataDocumentPath}"
                : null;

    /// <summary>Where the front end serves the client ID metadata document.</summary>
    public const string ClientMetadataDocumentPath = "/oauth/client-metadata.json";

    /// <summary>The redirect URI registered with every authorization server.</summary>
    public string RedirectUri => $"{PublicBaseUrl?.TrimEnd('/')}/oauth/callback";

    /// <summary>Where sign-in links point: <c>{PublicBaseUrl}/oauth/start/{ticket}</c>.</summary>
    public const string SignInPath = "/oauth/start";

    /// <summary>The sign-in link of a sealed ticket.</summary>
    public string SignInLink(string ticket) => $"{PublicBaseUrl?.TrimEnd('/')}{SignInPath}/{ticket}";

    /// <summary>Where the connections page lives: links at <c>{PublicBaseUrl}/oauth/portal/{link}</c>, the page at <c>/oauth/portal</c>.</summary>
    public const string PortalPath = "/oauth/portal";

    /// <summary>The connections-page link of a sealed link value.</summary>
    public string PortalLink(string link) => $"{PublicBaseUrl?.TrimEnd('/')}{PortalPath}/{link}";

    /// <summary>A server's name for people: its DisplayName, else its id.</summary>
    public string ServerDisplayName(string serverId) =>
        Servers.TryGetValue(serverId, out var server) && !string.IsNullOrWhiteSpace(server.DisplayName) ? server.DisplayName : serverId;

    /// <summary>A host app's name for people: its DisplayName, else its name.</summary>
    public string HostAppDisplayName(string tenantId) =>
        HostApps.TryGetValue(tenantId, out var hostApp) && !string.IsNullOrWhiteSpace(hostApp.DisplayName) ? hostApp.DisplayName : tenantId;
}
