namespace McpGrains.Gateway.Limits;

/// <summary>
/// The rate limiting policies of the gateway, attached to endpoints with <c>RequireRateLimiting(name)</c>. Endpoints
/// under <see cref="Calls"/> also count against their host app's limit.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>REST upstream calls and <c>/mcp</c> requests: per user and per host app (<c>McpGrains:Limits:CallsPerMinutePer*</c>).</summary>
    public const string Calls = "mcpgrains-calls";

    /// <summary>Starting an authorization: per user (<c>McpGrains:Limits:AuthorizationsPerHourPerUser</c>).</summary>
    public const string Authorizations = "mcpgrains-authorizations";
}
