using System.Diagnostics;
using OpenTelemetry;

namespace McpGrains.Host.Telemetry;

/// <summary>
/// Runs before every exporter and removes what could carry a secret or a user id from a finished span: request paths
/// (a sign-in link's path is its ticket, REST paths hold user ids; <c>http.route</c> keeps the template), queries (the
/// callback's code and state), full URLs beyond their origin, exception texts, and Orleans grain ids (a session's
/// grain id is its key, tenant/user/server), of which only the grain type is kept.
/// </summary>
public sealed class SecretFreeSpanProcessor : BaseProcessor<Activity>
{
    private static readonly string[] RemovedTags =
    [
        "url.path", "url.query", "http.target", "http.url", "exception.message", "exception.stacktrace",
    ];

    private static readonly string[] GrainIdTags =
    [
        "orleans.grain.id", "rpc.orleans.target_id", "rpc.orleans.source_id", "orleans.durable_job.target_grain_id",
    ];

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var tag in RemovedTags)
        {
            if (data.GetTagItem(tag) is not null)
            {
                data.SetTag(tag, null);
            }
        }

        foreach (var tag in GrainIdTags)
        {
            if (data.GetTagItem(tag) is string grainId)
            {
                data.SetTag(tag, GrainType(grainId));
            }
        }

        if (data.GetTagItem("url.full") is string url)
        {
            data.SetTag("url.full", Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null);
        }

        if (data.StatusDescription is not null)
        {
            data.SetStatus(data.Status);
        }
    }

    /// <summary>"mcpsession/host-a%2Fuser%2Fserver" becomes "mcpsession"; a grain id always starts with its type.</summary>
    private static string GrainType(string grainId)
    {
        var slash = grainId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? grainId : grainId[..slash];
    }
}
