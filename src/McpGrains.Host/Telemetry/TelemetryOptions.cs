namespace McpGrains.Host.Telemetry;

/// <summary><c>McpGrains:Telemetry</c>: the optional Prometheus scrape endpoint (OTLP is set by the standard <c>OTEL_*</c> variables).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "McpGrains:Telemetry";

    public PrometheusScrapeOptions Prometheus { get; set; } = new();

    /// <summary>
    /// Orleans' trace context propagation through grain calls (a span per grain call, one trace across silos). Unset:
    /// on exactly when traces are exported over OTLP; true for a tracing exporter the host adds itself. Off, a grain
    /// call skips Orleans' call-filter pipeline (about 1 KiB and a few microseconds per proxied call).
    /// </summary>
    public bool? GrainCallTracing { get; set; }
}
