using System.Net;

namespace McpGrains.ConformanceServer;

/// <summary>
/// DNS rebinding protection of a local server: a request whose Host or Origin is not a loopback name is refused, so a
/// page of another site that resolves its name to 127.0.0.1 cannot reach the server.
/// </summary>
internal static class LoopbackOnly
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!IsLoopback(context.Request.Host.Host) || (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopback(uri.Host))))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { jsonrpc = "2.0", id = (object?)null, error = new { code = -32000, message = "Forbidden: the Host or Origin is not a loopback name." } });
            return;
        }

        await next(context);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
