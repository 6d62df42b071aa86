using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Limits;

/// <summary>
/// Counts wrong host keys per client address (IPv6 by /64, which one client usually holds whole) in fixed one-minute
/// windows. An address that has used up its failures is throttled for the rest of the window: every attempt from it,
/// with the right key too, gets 429, since answering the right key differently would tell a guesser when it hit.
/// </summary>
internal sealed class HostKeyAttemptLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures;
    private readonly int _limit;
    private readonly RejectionLogGate _gate;
    private readonly ILogger _logger;

    public HostKeyAttemptLimiter(IOptions<McpGrainsOptions> options, RejectionLogGate gate, ILoggerFactory loggerFactory)
    {
        _limit = options.Value.Limits.FailedHostKeyAttemptsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions { PermitLimit = _limit, Window = Window, QueueLimit = 0 }));
        _gate = gate;
        _logger = loggerFactory.CreateLogger(LimitsLog.Category);
    }

    /// <summary>True when the request's address has used up its failures for this window; then <paramref name="retryAfter"/> says until when.</summary>
    public bool IsThrottled(HttpContext context, out TimeSpan retryAfter)
    {
        var address = ClientAddress(context);
        using var probe = _failures.AttemptAcquire(address, permitCount: 0);
        if (probe.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }

        retryAfter = TooManyRequests.RetryAfter(probe, Window);
        if (_gate.ShouldLog(nameof(LimitsOptions.FailedHostKeyAttemptsPerMinute), address, Window))
        {
            _logger.HostKeyAttemptsThrottled(address, _limit);
        }

        return true;
    }

    public void RecordFailure(HttpContext context)
    {
        using var counted = _failures.AttemptAcquire(ClientAddress(context));
    }

    public void Dispose() => _failures.Dispose();

    private static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
