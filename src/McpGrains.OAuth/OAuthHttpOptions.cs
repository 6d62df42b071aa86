using System.Net;

namespace McpGrains.OAuth;

/// <summary>Settings of the SSRF-guarded HTTP clients that talk to upstream MCP and authorization servers.</summary>
public sealed class OAuthHttpOptions
{
    public const string SectionName = "McpGrains:OAuthHttp";

    /// <summary>
    /// Development switch: allows <c>http</c> and loopback destinations (for example a local test authorization
    /// server). Never enable in production.
    /// </summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>
    /// Private networks upstream servers may resolve to (<c>McpGrains:Security:AllowedPrivateNetworks</c>). Loopback,
    /// link-local and cloud metadata addresses stay refused whatever is listed.
    /// </summary>
    public IReadOnlyList<IPNetwork> AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Per-request timeout of every upstream call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest response body read from an upstream server.</summary>
    public int MaxResponseBytes { get; set; } = 256 * 1024;
}
