using System.Diagnostics;

namespace McpGrains.Telemetry;

/// <summary>
/// The names McpGrains' own telemetry is published under: one meter (<see cref="McpGrainsMetrics"/>) and one activity
/// source for its spans (an upstream MCP request, an OAuth request). Tags carry tenant (host app) and server ids,
/// outcomes and error codes only: never a token, code, <c>state</c>, ticket, secret or user id.
/// </summary>
public static class McpGrainsTelemetry
{
    public const string MeterName = "McpGrains";

    public const string ActivitySourceName = "McpGrains";

    public const string TenantTag = "tenant";

    public const string ServerTag = "server";

    public const string OutcomeTag = "outcome";

    public const string ReasonTag = "reason";

    /// <summary>The MCP method of an upstream request (<c>tools/call</c>); never its parameters.</summary>
    public const string McpMethodTag = "mcp.method.name";

    /// <summary>What an OAuth request does: <c>discovery</c>, <c>registration</c>, <c>token</c>, <c>revocation</c>.</summary>
    public const string OAuthOperationTag = "oauth.operation";

    /// <summary>The grant type of a token request (<c>authorization_code</c>, <c>refresh_token</c>).</summary>
    public const string OAuthGrantTypeTag = "oauth.grant_type";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>A span for one OAuth request (an internal span around the HTTP client span it makes).</summary>
    public static Activity? StartOAuth(string operation, string? grantType = null)
    {
        var activity = Source.StartActivity("oauth " + operation, ActivityKind.Internal);
        activity?.SetTag(OAuthOperationTag, operation);
        if (grantType is not null)
        {
            activity?.SetTag(OAuthGrantTypeTag, grantType);
        }

        return activity;
    }
}
