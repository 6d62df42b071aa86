namespace McpGrains.Host.Telemetry;

/// <summary><c>McpGrains:Telemetry:Prometheus</c>: a scrape endpoint behind a key of its own, off by default.</summary>
public sealed class PrometheusScrapeOptions
{
    public const string Path = "/metrics";

    public const int MinimumKeyLength = 16;

    /// <summary>Serve <c>GET /metrics</c> on the node's HTTP port, to requests with <c>Authorization: Bearer {ScrapeKey}</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The scraper's key (at least 16 characters), not any host app's key.</summary>
    public string? ScrapeKey { get; set; }
}
