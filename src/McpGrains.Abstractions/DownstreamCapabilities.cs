namespace McpGrains;

/// <summary>What a downstream MCP client declared, so that upstream server-to-client requests go where they can be answered.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamCapabilities")]
public sealed record DownstreamCapabilities(
    [property: Id(0)] bool Elicitation,
    [property: Id(1)] bool ElicitationUrl,
    [property: Id(2)] bool Sampling,
    [property: Id(3)] bool Roots)
{
    public static DownstreamCapabilities None { get; } = new(false, false, false, false);
}
