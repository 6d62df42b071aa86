using McpGrains.Configuration;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace McpGrains.Host.Telemetry;

/// <summary>
/// OpenTelemetry for every role: traces (ASP.NET Core, HttpClient, Orleans grain calls, McpGrains' upstream and OAuth
/// spans) and metrics (ASP.NET Core, Kestrel, HttpClient, runtime, Orleans, McpGrains' meter). OTLP export is on
/// when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set, configured by the
/// standard <c>OTEL_*</c> variables; the Prometheus scrape endpoint (behind a key) when <c>McpGrains:Telemetry:Prometheus:Enabled</c>.
/// Without an exporter there is no provider and nothing listens, so a node that exports nothing pays nothing per call
/// for it.
/// </summary>
public static class HostTelemetryExtensions
{
    /// <summary>Orleans' meter and activity sources (grain calls carry the trace context across silos).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    private static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IHostApplicationBuilder AddMcpGrainsTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddMcpGrainsConfigurationSection(TelemetryOptions.SectionName, typeof(TelemetryOptions));
        builder.Services.AddMcpGrainsConfigurationSection(LoggingFormatOptions.SectionName, typeof(LoggingFormatOptions));
        builder.Services.AddMcpGrainsMetrics();
        AddLogFormat(builder);

        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlpTraces = HasOtlpEndpoint(configuration, "TRACES");
        var otlpMetrics = HasOtlpEndpoint(configuration, "METRICS");
        // What is traced and measured applies to whichever provider exists; a provider exists only for an exporter. A
        // provider without one would still listen: an activity and a handful of histogram points for every request and
        // grain call, read by nobody (about a sixth of a proxied call's CPU, issue 13).
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(McpGrainsTelemetry.ActivitySourceName)
            .AddSource(OrleansActivitySources)
            .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
            .AddHttpClientInstrumentation()
            // First, so that every exporter (added after it, by the host or a test) sees scrubbed spans.
            .AddProcessor(new SecretFreeSpanProcessor()));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(McpGrainsTelemetry.MeterName, OrleansMeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation());

        var openTelemetry = builder.Services.AddOpenTelemetry();
        if (otlpTraces)
        {
            openTelemetry.WithTracing(tracing => tracing.AddOtlpExporter());
        }

        if (otlpMetrics || telemetry.Prometheus.Enabled)
        {
            openTelemetry.WithMetrics(metrics =>
            {
                if (otlpMetrics)
                {
                    metrics.AddOtlpExporter();
                }

                if (telemetry.Prometheus.Enabled)
                {
                    ScrapeKeyOf(telemetry);
                    metrics.AddPrometheusExporter();
                }
            });
        }

        return builder;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text format) behind the scrape key when
    /// <c>McpGrains:Telemetry:Prometheus:Enabled</c>; nothing otherwise.
    /// </summary>
    public static WebApplication MapMcpGrainsMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var telemetry = app.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (telemetry.Prometheus.Enabled)
        {
            var key = ScrapeKeyOf(telemetry);
            app.MapPrometheusScrapingEndpoint(PrometheusScrapeOptions.Path, meterProvider: null, configureBranchedPipeline: branch => ScrapeKeyCheck.Require(branch, key), optionsName: null);
        }

        return app;
    }

    private static string ScrapeKeyOf(TelemetryOptions telemetry) =>
        telemetry.Prometheus.ScrapeKey is { Length: >= PrometheusScrapeOptions.MinimumKeyLength } key
            ? key
            : throw new InvalidOperationException($"{TelemetryOptions.SectionName}:Prometheus:ScrapeKey must be set, at least {PrometheusScrapeOptions.MinimumKeyLength} characters, when {TelemetryOptions.SectionName}:Prometheus:Enabled is true.");

    private static void AddLogFormat(IHostApplicationBuilder builder)
    {
        var format = builder.Configuration[$"{LoggingFormatOptions.SectionName}:Format"] ?? LoggingFormatOptions.Simple;
        switch (format.Trim().ToLowerInvariant())
        {
            case LoggingFormatOptions.Simple:
                return;
            case LoggingFormatOptions.Json:
                // One JSON object per line; scopes stay off (a request scope would hold the request path).
                builder.Logging.AddJsonConsole(json => json.IncludeScopes = false);
                builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
                return;
            default:
                throw new InvalidOperationException($"{LoggingFormatOptions.SectionName}:Format must be '{LoggingFormatOptions.Simple}' or '{LoggingFormatOptions.Json}'; it is '{format}'.");
        }
    }

    /// <summary>
    /// Whether grain calls carry the trace context (<see cref="TelemetryOptions.GrainCallTracing"/>; unset, when traces are
    /// exported over OTLP). Orleans treats the propagation as opt-in: its filters wrap every grain call, traced or not.
    /// </summary>
    public static bool TracesGrainCalls(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool?>($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.GrainCallTracing)}")
            ?? HasOtlpEndpoint(configuration, "TRACES");
    }

    /// <summary>The standard variables: OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_{signal}_ENDPOINT.</summary>
    private static bool HasOtlpEndpoint(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);

    /// <summary>Health probes and scrapes every few seconds would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(PrometheusScrapeOptions.Path, StringComparison.OrdinalIgnoreCase);
}
