using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Limits;

internal static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// The limits of <c>McpGrains:Limits</c>: ASP.NET Core's rate limiter with a per-host-app global limiter and the
    /// per-user policies of <see cref="RateLimitPolicies"/> and the host key attempt counter (the downstream session caps
    /// are counted in the cluster, by <c>IDownstreamSessionQuotaGrain</c>). The middleware comes with <c>UseMcpGrainsGateway</c>.
    /// </summary>
    public static IServiceCollection AddMcpGrainsLimits(this IServiceCollection services)
    {
        services.TryAddSingleton<RejectionLogGate>();
        services.TryAddSingleton<HostKeyAttemptLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<McpGrainsOptions>, RejectionLogGate, ILoggerFactory>((rateLimiter, options, gate, loggerFactory) =>
            {
                var logger = loggerFactory.CreateLogger(LimitsLog.Category);
                var hostApps = new HostAppCallLimiter(options.Value.Limits, gate, logger);
                rateLimiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                rateLimiter.GlobalLimiter = hostApps.CreateLimiter();
                rateLimiter.OnRejected = hostApps.RejectAsync;
                rateLimiter.AddPolicy(RateLimitPolicies.Calls, UserRateLimitPolicy.Calls(options.Value, gate, logger));
                rateLimiter.AddPolicy(RateLimitPolicies.Authorizations, UserRateLimitPolicy.Authorizations(options.Value, gate, logger));
            });
        return services;
    }
}
