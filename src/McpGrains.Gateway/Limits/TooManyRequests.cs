using System.Globalization;
using System.Threading.RateLimiting;
using McpGrains.Gateway.Endpoints;
using McpGrains.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Gateway.Limits;

/// <summary>The 429 answer of every rate limit: problem+json with <c>code: rate_limited</c> (or the given code) and <c>Retry-After</c>.</summary>
internal static class TooManyRequests
{
    public const string RateLimitedCode = "rate_limited";

    /// <summary>When the limiter says when permits return, that; otherwise the whole window (never too early).</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan window) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : window;

    public static Task WriteAsync(HttpContext context, TimeSpan retryAfter, string detail, string code = RateLimitedCode)
    {
        context.RequestServices.GetService<McpGrainsMetrics>()?.RateLimitRejected(code);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return GatewayProblems.TooManyRequests($"{detail} Retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.", code).ExecuteAsync(context);
    }
}
