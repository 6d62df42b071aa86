using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>
/// The in-memory exporters of a <see cref="RunningHost"/>: every span and metric it exports, after its own pipeline
/// (the secret scrubbing included). Listeners are process-wide, so spans of other tests' hosts may show up too:
/// assertions select by the test's own server id or trace id.
/// </summary>
public sealed class TelemetryCapture
{
    public ConcurrentExportList<Activity> Spans { get; } = new();

    public ConcurrentExportList<MetricSnapshot> Metrics { get; } = new();

    /// <summary>
    /// Adds the providers with the exporters: the host creates a provider only for an exporter of its own, and what it
    /// traces and measures applies to any provider.
    /// </summary>
    public void AddTo(IWebHostBuilder builder) => builder.ConfigureServices(services => services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(Spans))
        .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics)));

    public void Flush(IServiceProvider services)
    {
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    public List<Activity> SpansSnapshot() => [.. Spans];

    /// <summary>
    /// The cumulative value of a counter over the points whose tags include all of <paramref name="tags"/>: the largest
    /// exported (every export of a cumulative counter holds the total so far; another host's meter of the same name
    /// may be exported as a stream of its own).
    /// </summary>
    public long Sum(string name, params (string Key, string Value)[] tags) =>
        Max(name, tags, point => point.GetSumLong());

    /// <summary>How many measurements a histogram holds for the points whose tags include all of <paramref name="tags"/>.</summary>
    public long HistogramCount(string name, params (string Key, string Value)[] tags) =>
        Max(name, tags, point => point.GetHistogramCount());

    private long Max(string name, (string Key, string Value)[] tags, Func<MetricPoint, long> value) =>
        Metrics.Where(snapshot => snapshot.Name == name)
            .Select(snapshot => snapshot.MetricPoints.Where(point => tags.All(tag => HasTag(point, tag.Key, tag.Value))).Sum(value))
            .DefaultIfEmpty(0)
            .Max();

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && tag.Value as string == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every text an exporter would send: span names, tags, events, links' states, status texts, metric names and tags.</summary>
    public IEnumerable<string> ExportedTexts()
    {
        foreach (var span in SpansSnapshot())
        {
            yield return span.DisplayName;
            yield return span.OperationName;
            yield return span.StatusDescription ?? "";
            yield return span.TraceStateString ?? "";
            foreach (var tag in span.TagObjects)
            {
                yield return tag.Key + "=" + tag.Value;
            }

            foreach (var item in span.Baggage)
            {
                yield return item.Key + "=" + item.Value;
            }

            foreach (var spanEvent in span.Events)
            {
                yield return spanEvent.Name;
                foreach (var tag in spanEvent.Tags)
                {
                    yield return tag.Key + "=" + tag.Value;
                }
            }
        }

        foreach (var snapshot in Metrics)
        {
            yield return snapshot.Name;
            foreach (var point in snapshot.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    yield return tag.Key + "=" + tag.Value;
                }
            }
        }
    }
}
