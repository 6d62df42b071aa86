namespace McpGrains.Configuration;

/// <summary>
/// <c>McpGrains:Limits</c>: what one host app, one user or one client address may use: of a node (rates, bodies) or of
/// the cluster (downstream sessions). The defaults are generous for real use and finite against floods; every limit is
/// a positive number.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "McpGrains:Limits";

    /// <summary>Calls (REST upstream calls and <c>/mcp</c> requests) of one host app per minute, on each node.</summary>
    public int CallsPerMinutePerHostApp { get; set; } = 12_000;

    /// <summary>Calls of one user (of one host app) per minute, on each node.</summary>
    public int CallsPerMinutePerUser { get; set; } = 600;

    /// <summary>Authorizations (<c>POST .../authorize</c>) one user may start per hour, on each node.</summary>
    public int AuthorizationsPerHourPerUser { get; set; } = 60;

    /// <summary>Wrong host keys one client address may present per minute; past that, every attempt from it gets 429 until the minute ends.</summary>
    public int FailedHostKeyAttemptsPerMinute { get; set; } = 30;

    /// <summary>The largest request body accepted on <c>/mcp</c> and the REST API (4 MiB); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Open downstream MCP sessions of one host app, counted across the cluster; an initialize over it is refused.</summary>
    public int MaxDownstreamSessionsPerHostApp { get; set; } = 10_000;

    /// <summary>Open downstream MCP sessions of one user (all servers), counted across the cluster; an initialize over it is refused.</summary>
    public int MaxDownstreamSessionsPerUser { get; set; } = 100;

    /// <summary>Describes every limit that is not usable, by its full key.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (key, value) in new (string, long)[]
        {
            (nameof(CallsPerMinutePerHostApp), CallsPerMinutePerHostApp),
            (nameof(CallsPerMinutePerUser), CallsPerMinutePerUser),
            (nameof(AuthorizationsPerHourPerUser), AuthorizationsPerHourPerUser),
            (nameof(FailedHostKeyAttemptsPerMinute), FailedHostKeyAttemptsPerMinute),
            (nameof(MaxDownstreamSessionsPerHostApp), MaxDownstreamSessionsPerHostApp),
            (nameof(MaxDownstreamSessionsPerUser), MaxDownstreamSessionsPerUser),
        })
        {
            if (value < 1)
            {
                yield return $"{SectionName}:{key} must be at least 1 (was {value}); raise it rather than turning it off.";
            }
        }

        if (MaxRequestBodyBytes is < MinRequestBodyBytes or > MaxRequestBodyBytesLimit)
        {
            yield return $"{SectionName}:{nameof(MaxRequestBodyBytes)} must be between {MinRequestBodyBytes} and {MaxRequestBodyBytesLimit} (was {MaxRequestBodyBytes}).";
        }
    }

    private const long MinRequestBodyBytes = 64 * 1024;
    private const long MaxRequestBodyBytesLimit = 1024L * 1024 * 1024;
}
