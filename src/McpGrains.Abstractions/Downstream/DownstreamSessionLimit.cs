namespace McpGrains.Downstream;

/// <summary>The cap that refused a new downstream session: its key under <c>McpGrains:Limits</c> and its value.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamSessionLimit")]
public sealed record DownstreamSessionLimit(
    [property: Id(0)] string LimitKey,
    [property: Id(1)] int Limit);
