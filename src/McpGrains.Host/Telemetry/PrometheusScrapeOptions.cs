namespace McpGrains.Host.Telemetry;

/// <summary><c>McpGrains:Telemetry:Prometheus</c>: a scrape endpoint on a port of its own, off by default.</summary>
public sealed class PrometheusScrapeOptions
{
    public const int DefaultPort = 9464;

    /// <summary>Serve <c>GET /metrics</c> on <see cref="Port"/> (never on the public port).</summary>
    public bool Enabled { get; set; }

    /// <summary>The scrape port, on every interface (default 9464): keep it inside the cluster network.</summary>
    public int Port { get; set; } = DefaultPort;
}
