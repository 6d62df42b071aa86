using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpGrains.Telemetry;

/// <summary>
/// McpGrains' own instruments, on the <see cref="McpGrainsTelemetry.MeterName"/> meter (one per service provider,
/// from <see cref="IMeterFactory"/>). Prometheus names: dots become underscores, counters end in <c>_total</c>,
/// histograms in seconds end in <c>_seconds</c>.
/// </summary>
public sealed class McpGrainsMetrics
{
    public const string AuthorizationsStarted = "mcpgrains.authorizations.started";
    public const string AuthorizationsCompleted = "mcpgrains.authorizations.completed";
    public const string AuthorizationsFailed = "mcpgrains.authorizations.failed";
    public const string Refreshes = "mcpgrains.refreshes";
    public const string RefreshDuration = "mcpgrains.refresh.duration";
    public const string RefreshTokenRotations = "mcpgrains.refresh_token.rotations";
    public const string ReauthorizationsRequired = "mcpgrains.reauthorizations_required";
    public const string UpstreamConnections = "mcpgrains.upstream.connections";
    public const string UpstreamCalls = "mcpgrains.upstream.calls";
    public const string UpstreamCallDuration = "mcpgrains.upstream.call.duration";
    public const string CircuitBreakersOpened = "mcpgrains.upstream.circuit_breaker.opened";
    public const string DownstreamSessions = "mcpgrains.downstream.sessions";
    public const string Callbacks = "mcpgrains.callbacks";
    public const string RateLimitRejections = "mcpgrains.rate_limit.rejections";
    public const string StorageUnavailable = "mcpgrains.storage.unavailable";
    public const string UsersForgotten = "mcpgrains.users.forgotten";

    private readonly Counter<long> _authorizationsStarted;
    private readonly Counter<long> _authorizationsCompleted;
    private readonly Counter<long> _authorizationsFailed;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _refreshDuration;
    private readonly Counter<long> _rotations;
    private readonly Counter<long> _reauthorizations;
    private readonly UpDownCounter<long> _upstreamConnections;
    private readonly Counter<long> _upstreamCalls;
    private readonly Histogram<double> _upstreamCallDuration;
    private readonly Counter<long> _circuitsOpened;
    private readonly UpDownCounter<long> _downstreamSessions;
    private readonly Counter<long> _callbacks;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _storageUnavailable;
    private readonly Counter<long> _usersForgotten;

    public McpGrainsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(McpGrainsTelemetry.MeterName);
        _authorizationsStarted = meter.CreateCounter<long>(AuthorizationsStarted, "{authorization}", "Authorizations begun (a sign-in link handed out).");
        _authorizationsCompleted = meter.CreateCounter<long>(AuthorizationsCompleted, "{authorization}", "Authorizations that ended with tokens.");
        _authorizationsFailed = meter.CreateCounter<long>(AuthorizationsFailed, "{authorization}", "Authorizations that failed at the callback or the code exchange, by reason.");
        _refreshes = meter.CreateCounter<long>(Refreshes, "{refresh}", "Refresh-token requests, by outcome (success, invalid_grant, failed).");
        _refreshDuration = meter.CreateHistogram<double>(RefreshDuration, "s", "Time of a refresh-token request.");
        _rotations = meter.CreateCounter<long>(RefreshTokenRotations, "{rotation}", "Refreshes that returned a new refresh token.");
        _reauthorizations = meter.CreateCounter<long>(ReauthorizationsRequired, "{transition}", "Connections moved to reauthorization_required, by reason.");
        _upstreamConnections = meter.CreateUpDownCounter<long>(UpstreamConnections, "{connection}", "Live upstream MCP connections.");
        _upstreamCalls = meter.CreateCounter<long>(UpstreamCalls, "{call}", "MCP requests forwarded upstream, by outcome.");
        _upstreamCallDuration = meter.CreateHistogram<double>(UpstreamCallDuration, "s", "Time of an MCP request forwarded upstream, as the grain sees it.");
        _circuitsOpened = meter.CreateCounter<long>(CircuitBreakersOpened, "{circuit}", "Upstream circuit breakers opened after repeated connection failures.");
        _downstreamSessions = meter.CreateUpDownCounter<long>(DownstreamSessions, "{session}", "Open downstream MCP sessions; each host app's are counted on one silo (sum over the silos).");
        _callbacks = meter.CreateCounter<long>(Callbacks, "{callback}", "OAuth callbacks served, by outcome (connected or the error code).");
        _rateLimitRejections = meter.CreateCounter<long>(RateLimitRejections, "{request}", "Requests refused by a rate limit, by reason.");
        _storageUnavailable = meter.CreateCounter<long>(StorageUnavailable, "{request}", "Requests answered 503 storage_unavailable.");
        _usersForgotten = meter.CreateCounter<long>(UsersForgotten, "{user}", "Users forgotten (DELETE /api/v1/users/{userId}).");
    }

    public void AuthorizationStarted(string tenant, string server) => _authorizationsStarted.Add(1, Tags(tenant, server));

    public void AuthorizationCompleted(string tenant, string server) => _authorizationsCompleted.Add(1, Tags(tenant, server));

    public void AuthorizationFailed(string tenant, string server, string reason) =>
        _authorizationsFailed.Add(1, Tags(tenant, server, McpGrainsTelemetry.ReasonTag, reason));

    public void Refreshed(string tenant, string server, string outcome, TimeSpan duration, bool rotated)
    {
        var tags = Tags(tenant, server, McpGrainsTelemetry.OutcomeTag, outcome);
        _refreshes.Add(1, tags);
        _refreshDuration.Record(duration.TotalSeconds, tags);
        if (rotated)
        {
            _rotations.Add(1, Tags(tenant, server));
        }
    }

    public void ReauthorizationRequired(string tenant, string server, string reason) =>
        _reauthorizations.Add(1, Tags(tenant, server, McpGrainsTelemetry.ReasonTag, reason));

    public void UpstreamConnectionOpened(string tenant, string server) => _upstreamConnections.Add(1, Tags(tenant, server));

    public void UpstreamConnectionClosed(string tenant, string server) => _upstreamConnections.Add(-1, Tags(tenant, server));

    public void UpstreamCall(string tenant, string server, string outcome, TimeSpan duration)
    {
        var tags = Tags(tenant, server, McpGrainsTelemetry.OutcomeTag, outcome);
        _upstreamCalls.Add(1, tags);
        _upstreamCallDuration.Record(duration.TotalSeconds, tags);
    }

    public void CircuitBreakerOpened(string tenant, string server) => _circuitsOpened.Add(1, Tags(tenant, server));

    /// <summary>
    /// One call when a downstream MCP session takes its place in its host app's count, one when it leaves it (ended,
    /// lapsed, or the count moved to another silo).
    /// </summary>
    public void DownstreamSessionOpened(string tenant, string server) => _downstreamSessions.Add(1, Tags(tenant, server));

    public void DownstreamSessionClosed(string tenant, string server) => _downstreamSessions.Add(-1, Tags(tenant, server));

    /// <summary>An OAuth callback; <paramref name="outcome"/> is <c>connected</c> or the error code.</summary>
    public void Callback(string? tenant, string? server, string outcome)
    {
        var tags = new TagList { { McpGrainsTelemetry.OutcomeTag, outcome } };
        if (tenant is not null && server is not null)
        {
            tags.Add(McpGrainsTelemetry.TenantTag, tenant);
            tags.Add(McpGrainsTelemetry.ServerTag, server);
        }

        _callbacks.Add(1, tags);
    }

    public void RateLimitRejected(string reason) => _rateLimitRejections.Add(1, new TagList { { McpGrainsTelemetry.ReasonTag, reason } });

    public void StorageWasUnavailable() => _storageUnavailable.Add(1);

    public void UserForgotten(string tenant) => _usersForgotten.Add(1, new TagList { { McpGrainsTelemetry.TenantTag, tenant } });

    private static TagList Tags(string tenant, string server) => new()
    {
        { McpGrainsTelemetry.TenantTag, tenant },
        { McpGrainsTelemetry.ServerTag, server },
    };

    private static TagList Tags(string tenant, string server, string key, string value) => new()
    {
        { McpGrainsTelemetry.TenantTag, tenant },
        { McpGrainsTelemetry.ServerTag, server },
        { key, value },
    };
}
