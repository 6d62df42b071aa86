namespace McpGrains.Host.Telemetry;

/// <summary><c>McpGrains:Telemetry</c>: the optional Prometheus scrape endpoint (OTLP is set by the standard <c>OTEL_*</c> variables).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "McpGrains:Telemetry";

    public PrometheusScrapeOptions Prometheus { get; set; } = new();
}
