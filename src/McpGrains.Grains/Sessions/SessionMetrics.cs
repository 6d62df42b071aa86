using System.Diagnostics;
using McpGrains.Telemetry;

namespace McpGrains.Grains.Sessions;

/// <summary>What a session records on McpGrains' meter and activity source: tenant and server ids only, never the user id.</summary>
internal sealed class SessionMetrics(McpSessionKey key, Func<McpGrainsMetrics> resolve, TimeProvider time)
{
    private McpGrainsMetrics? _metrics;

    private McpGrainsMetrics Metrics => _metrics ??= resolve();

    public void AuthorizationStarted() => Metrics.AuthorizationStarted(key.TenantId, key.ServerId);

    public void AuthorizationCompleted() => Metrics.AuthorizationCompleted(key.TenantId, key.ServerId);

    public void AuthorizationFailed(string reason) => Metrics.AuthorizationFailed(key.TenantId, key.ServerId, reason);

    public void Refreshed(string outcome, long started, bool rotated) =>
        Metrics.Refreshed(key.TenantId, key.ServerId, outcome, time.GetElapsedTime(started), rotated);

    public void ReauthorizationRequired(string reason) => Metrics.ReauthorizationRequired(key.TenantId, key.ServerId, reason);

    public void UpstreamConnected() => Metrics.UpstreamConnectionOpened(key.TenantId, key.ServerId);

    public void UpstreamClosed() => Metrics.UpstreamConnectionClosed(key.TenantId, key.ServerId);

    public void CircuitBreakerOpened() => Metrics.CircuitBreakerOpened(key.TenantId, key.ServerId);

    /// <summary>One span per upstream MCP request, around the HTTP exchange(s) it makes.</summary>
    public Activity? StartUpstreamActivity(string method)
    {
        var activity = McpGrainsTelemetry.Source.StartActivity("mcp " + method, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(McpGrainsTelemetry.McpMethodTag, method);
            activity.SetTag(McpGrainsTelemetry.TenantTag, key.TenantId);
            activity.SetTag(McpGrainsTelemetry.ServerTag, key.ServerId);
        }

        return activity;
    }

    public void UpstreamCall(Activity? activity, UpstreamResult result, long started)
    {
        var outcome = result.Outcome switch
        {
            UpstreamOutcome.Success => "success",
            UpstreamOutcome.RpcError => "rpc_error",
            UpstreamOutcome.AuthorizationRequired => "authorization_required",
            UpstreamOutcome.Timeout => "timeout",
            _ => "unavailable",
        };
        activity?.SetTag(McpGrainsTelemetry.OutcomeTag, outcome);
        if (result.Outcome is not UpstreamOutcome.Success and not UpstreamOutcome.RpcError)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error?.Code);
        }

        Metrics.UpstreamCall(key.TenantId, key.ServerId, outcome, time.GetElapsedTime(started));
    }
}
