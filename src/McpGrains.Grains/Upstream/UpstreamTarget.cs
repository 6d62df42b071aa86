using McpGrains.Configuration;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Where a server's upstream MCP endpoint is and how McpGrains reaches it, as configured
/// (<c>McpGrains:Servers:&lt;id&gt;</c>): its URL, transport, whether it may be on a private network, whether the raw
/// request path asks for HTTP/2, and how long a connection attempt may take.
/// </summary>
internal sealed record UpstreamTarget(Uri Endpoint, string Transport, bool AllowPrivateNetwork, bool Http2, TimeSpan ConnectTimeout)
{
    public static UpstreamTarget From(UpstreamServerOptions server, TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new UpstreamTarget(new Uri(server.Url!), server.Transport, server.AllowPrivateNetwork, server.Http2, connectTimeout);
    }
}
