using McpGrains.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// DNS rebinding protection for <c>/mcp/{serverId}</c>: a browser page on another site must not reach the endpoint
/// through a name that resolves to it. A request that carries an <c>Origin</c> header (browsers send one) is served
/// only when that origin is McpGrains' own (<c>PublicBaseUrl</c>), listed in <c>McpGrains:Security:AllowedOrigins</c>,
/// or a loopback origin while the request itself arrived for a loopback host. Requests without an <c>Origin</c>
/// (server-side clients such as LibreChat) are not affected.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);

    public OriginPolicy(IOptions<McpGrainsOptions> options)
    {
        var value = options.Value;
        if (Uri.TryCreate(value.PublicBaseUrl, UriKind.Absolute, out var publicBase))
        {
            _allowed.Add(publicBase.GetLeftPart(UriPartial.Authority));
        }

        foreach (var origin in value.Security.AllowedOrigins)
        {
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            {
                _allowed.Add(uri.GetLeftPart(UriPartial.Authority));
            }
        }
    }

    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
        {
            return true;
        }

        if (origin.Count != 1 || !Uri.TryCreate(origin[0], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        return _allowed.Contains(uri.GetLeftPart(UriPartial.Authority)) || (IsLoopback(uri.Host) && IsLoopback(request.Host.Host));
    }

    private static bool IsLoopback(string? host) =>
        host is not null && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));
}
