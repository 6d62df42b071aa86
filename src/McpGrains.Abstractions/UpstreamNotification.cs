namespace McpGrains;

/// <summary>A notification the upstream server sent (list_changed, resources/updated, progress, logging...).</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.UpstreamNotification")]
public sealed record UpstreamNotification(
    [property: Id(0)] string Method,
    [property: Id(1)] string? ParamsJson)
{
    public override string ToString() => $"UpstreamNotification {{ Method = {Method} }}";
}
