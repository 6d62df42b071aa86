namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Security</c>.</summary>
public sealed class SecurityOptions
{
    /// <summary>Development only: allow http and loopback upstream and authorization-server URLs.</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>
    /// Where the callback may send the browser afterwards. An entry is an absolute URL; a return URL matches when it
    /// has the same scheme, host and port and its path starts at a segment boundary with the entry's path.
    /// </summary>
    public List<string> AllowedReturnUrls { get; set; } = [];

    /// <summary>
    /// Browser origins (scheme, host and port) allowed to call <c>/mcp/{serverId}</c>, besides the origin of
    /// <c>PublicBaseUrl</c>. A request with any other <c>Origin</c> header is refused (DNS rebinding protection);
    /// requests without one (server-side clients) are not affected.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Private networks (CIDRs, IPv4 or IPv6, e.g. <c>10.0.0.0/8</c>, <c>fd00::/8</c>) that upstream MCP servers and
    /// their authorization servers may resolve to. Loopback, link-local and cloud metadata addresses stay refused
    /// whatever is listed (<see cref="PrivateNetworkRanges"/>).
    /// </summary>
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Master keys by id: base64 of 32 random bytes each. Every node must hold the same set.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key id new writes use.</summary>
    public string? ActiveKeyId { get; set; }

    public override string ToString() => $"SecurityOptions {{ AllowInsecureLoopback = {AllowInsecureLoopback}, AllowedPrivateNetworks = [{string.Join(", ", AllowedPrivateNetworks)}], KeyIds = [{string.Join(", ", Keys.Keys)}], ActiveKeyId = {ActiveKeyId} }}";
}
