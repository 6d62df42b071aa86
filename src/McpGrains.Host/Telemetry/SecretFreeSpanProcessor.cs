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

    /// <summary>Orleans' grain id tags (<c>orleans.rpc.target_id</c>, <c>orleans.grain.id</c>, ...; their names moved between versions).</summary>
    private static bool IsGrainIdTag(string key) =>
        (key.StartsWith("orleans.", StringComparison.Ordinal) || key.StartsWith("rpc.orleans.", StringComparison.Ordinal))
        && (key.EndsWith("grain.id", StringComparison.Ordinal) || key.EndsWith("grain_id", StringComparison.Ordinal)
            || key.EndsWith("target_id", StringComparison.Ordinal) || key.EndsWith("source_id", StringComparison.Ordinal));

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

        List<KeyValuePair<string, string>>? grainIds = null;
        foreach (var tag in data.TagObjects)
        {
            if (tag.Value is string grainId && IsGrainIdTag(tag.Key))
            {
                (grainIds ??= []).Add(new(tag.Key, GrainType(grainId)));
            }
        }

        foreach (var (key, grainType) in grainIds ?? [])
        {
            data.SetTag(key, grainType);
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
