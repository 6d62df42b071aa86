namespace McpGrains.Downstream;

/// <summary>
/// A 2026-07-28 client's <c>subscriptions/listen</c> stream, held by a front end: which notifications it asked for and
/// the subscription id every notification on it carries.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamListener")]
public sealed record DownstreamListener(
    [property: Id(0)] IDownstreamEndpoint Endpoint,
    [property: Id(1)] long CallId,
    [property: Id(2)] string SubscriptionIdJson,
    [property: Id(3)] bool ToolsListChanged,
    [property: Id(4)] bool PromptsListChanged,
    [property: Id(5)] bool ResourcesListChanged,
    [property: Id(6)] string[] ResourceSubscriptions)
{
    public override string ToString() => $"DownstreamListener {{ CallId = {CallId} }}";
}
