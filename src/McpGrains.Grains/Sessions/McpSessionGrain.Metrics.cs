using System.Diagnostics;
using McpGrains.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Grains.Sessions;

// What the session records on McpGrains' meter and activity source: tenant and server ids only, never the user id.
public sealed partial class McpSessionGrain
{
    private McpGrainsMetrics? _metrics;

    private McpGrainsMetrics Metrics => _metrics ??= ServiceProvider.GetRequiredService<McpGrainsMetrics>();

    private void RecordAuthorizationStarted() => Metrics.AuthorizationStarted(_key.TenantId, _key.ServerId);

    private void RecordAuthorizationCompleted() => Metrics.AuthorizationCompleted(_key.TenantId, _key.ServerId);

    private void RecordAuthorizationFailed(string reason) => Metrics.AuthorizationFailed(_key.TenantId, _key.ServerId, reason);

    private void RecordRefresh(string outcome, long started, bool rotated) =>
        Metrics.Refreshed(_key.TenantId, _key.ServerId, outcome, _time.GetElapsedTime(started), rotated);

    private void RecordReauthorizationRequired(string reason) => Metrics.ReauthorizationRequired(_key.TenantId, _key.ServerId, reason);

    private void RecordUpstreamConnected() => Metrics.UpstreamConnectionOpened(_key.TenantId, _key.ServerId);

    private void RecordUpstreamClosed() => Metrics.UpstreamConnectionClosed(_key.TenantId, _key.ServerId);

    /// <summary>A failed connection attempt for the reconnect policy; counts the circuit breaker opening.</summary>
    private void RecordConnectionFailure()
    {
        var now = _time.GetUtcNow();
        var wasOpen = _reconnect.IsCircuitOpen(now);
        _reconnect.RecordFailure(now);
        if (!wasOpen && _reconnect.IsCircuitOpen(now))
        {
            Metrics.CircuitBreakerOpened(_key.TenantId, _key.ServerId);
        }
    }

    /// <summary>One span per upstream MCP request, around the HTTP exchange(s) it makes.</summary>
    private Activity? StartUpstreamActivity(string method)
    {
        var activity = McpGrainsTelemetry.Source.StartActivity("mcp " + method, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(McpGrainsTelemetry.McpMethodTag, method);
            activity.SetTag(McpGrainsTelemetry.TenantTag, _key.TenantId);
            activity.SetTag(McpGrainsTelemetry.ServerTag, _key.ServerId);
        }

        return activity;
    }

    private void RecordUpstreamCall(Activity? activity, UpstreamResult result, long started)
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

        Metrics.UpstreamCall(_key.TenantId, _key.ServerId, outcome, _time.GetElapsedTime(started));
    }
}
