using System.Threading.RateLimiting;
using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Limits;

/// <summary>
/// The per-host-app limit on calls (fixed one-minute windows, one counter per host app): the rate limiter's global
/// limiter, counting only requests to endpoints under <see cref="RateLimitPolicies.Calls"/>, so that it applies on top
/// of the per-user limit. Its refusals are the rate limiter's default <c>OnRejected</c>.
/// </summary>
internal sealed class HostAppCallLimiter(LimitsOptions limits, RejectionLogGate gate, ILogger logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public PartitionedRateLimiter<HttpContext> CreateLimiter()
    {
        // One factory for every partition: RateLimitPartition.GetFixedWindowLimiter would allocate two delegates per request.
        var options = new FixedWindowRateLimiterOptions { PermitLimit = limits.CallsPerMinutePerHostApp, Window = Window, QueueLimit = 0 };
        Func<string, RateLimiter> factory = _ => new FixedWindowRateLimiter(options);
        return PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsCall(context) && RateLimitSubject.HostApp(context) is { } hostApp
                ? new RateLimitPartition<string>(hostApp, factory)
                : RateLimitPartition.GetNoLimiter(""));
    }

    public async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var hostApp = RateLimitSubject.HostApp(context.HttpContext) ?? "";
        if (gate.ShouldLog(nameof(LimitsOptions.CallsPerMinutePerHostApp), hostApp, Window))
        {
            logger.HostAppCallLimitReached(hostApp, limits.CallsPerMinutePerHostApp);
        }

        await TooManyRequests.WriteAsync(
            context.HttpContext,
            TooManyRequests.RetryAfter(context.Lease, Window),
            $"This host app made {limits.CallsPerMinutePerHostApp} calls within the minute (McpGrains:Limits:CallsPerMinutePerHostApp).");
    }

    private static bool IsCall(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimitPolicies.Calls;
}
