using System.Threading.RateLimiting;
using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Limits;

/// <summary>
/// A per-user limit (fixed windows, one counter per host app and user): calls per minute or authorizations per hour.
/// Requests without a well-formed user are not counted here (their endpoint refuses them).
/// </summary>
internal sealed class UserRateLimitPolicy : IRateLimiterPolicy<(string HostApp, string UserId)>
{
    private readonly McpGrainsOptions _options;
    private readonly bool _authorizations;
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly RejectionLogGate _gate;
    private readonly ILogger _logger;
    private readonly Func<(string HostApp, string UserId), RateLimiter> _limiter;

    private UserRateLimitPolicy(McpGrainsOptions options, bool authorizations, RejectionLogGate gate, ILogger logger)
    {
        _options = options;
        _authorizations = authorizations;
        _permits = authorizations ? options.Limits.AuthorizationsPerHourPerUser : options.Limits.CallsPerMinutePerUser;
        _window = authorizations ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1);
        _gate = gate;
        _logger = logger;
        // One factory for every partition: RateLimitPartition.GetFixedWindowLimiter would allocate two delegates per request.
        var limiterOptions = new FixedWindowRateLimiterOptions { PermitLimit = _permits, Window = _window, QueueLimit = 0 };
        _limiter = _ => new FixedWindowRateLimiter(limiterOptions);
    }

    public static UserRateLimitPolicy Calls(McpGrainsOptions options, RejectionLogGate gate, ILogger logger) => new(options, authorizations: false, gate, logger);

    public static UserRateLimitPolicy Authorizations(McpGrainsOptions options, RejectionLogGate gate, ILogger logger) => new(options, authorizations: true, gate, logger);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<(string HostApp, string UserId)> GetPartition(HttpContext httpContext) =>
        RateLimitSubject.User(httpContext, _options) is { } user
            ? new RateLimitPartition<(string HostApp, string UserId)>(user, _limiter)
            : RateLimitPartition.GetNoLimiter<(string, string)>(default);

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var (hostApp, userId) = RateLimitSubject.User(context.HttpContext, _options) ?? ("", "");
        if (_gate.ShouldLog(_authorizations ? nameof(LimitsOptions.AuthorizationsPerHourPerUser) : nameof(LimitsOptions.CallsPerMinutePerUser), hostApp + "/" + userId, _window))
        {
            if (_authorizations)
            {
                _logger.UserAuthorizationLimitReached(userId, hostApp, _permits);
            }
            else
            {
                _logger.UserCallLimitReached(userId, hostApp, _permits);
            }
        }

        var detail = _authorizations
            ? $"This user started {_permits} authorizations within the hour (McpGrains:Limits:AuthorizationsPerHourPerUser)."
            : $"This user made {_permits} calls within the minute (McpGrains:Limits:CallsPerMinutePerUser).";
        await TooManyRequests.WriteAsync(context.HttpContext, TooManyRequests.RetryAfter(context.Lease, _window), detail);
    }
}
