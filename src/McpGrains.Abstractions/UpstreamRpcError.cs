namespace McpGrains;

/// <summary>A JSON-RPC error returned by the upstream server, relayed as is.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.UpstreamRpcError")]
public sealed record UpstreamRpcError(
    [property: Id(0)] int Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string? DataJson);
