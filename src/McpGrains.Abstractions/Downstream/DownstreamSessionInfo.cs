namespace McpGrains.Downstream;

/// <summary>What a front end needs to serve a downstream session: the key it is bound to and what its client negotiated.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamSessionInfo")]
public sealed record DownstreamSessionInfo(
    [property: Id(0)] McpSessionKey Key,
    [property: Id(1)] string ProtocolVersion,
    [property: Id(2)] DownstreamCapabilities Capabilities,
    [property: Id(3)] string? ClientName,
    [property: Id(4)] string? ClientVersion);
