namespace McpGrains.Downstream;

/// <summary>
/// Who asked, for a request that came through <c>/mcp/{serverId}</c>: what the session grain needs to send
/// request-scoped messages back (progress, server requests during the call) and to speak for the client upstream
/// (its revision and capabilities). REST calls have none.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.DownstreamCaller")]
public sealed record DownstreamCaller(
    [property: Id(0)] string? SessionHash,
    [property: Id(1)] IDownstreamEndpoint? Endpoint,
    [property: Id(2)] long CallId,
    [property: Id(3)] string ProtocolVersion,
    [property: Id(4)] DownstreamCapabilities Capabilities,
    [property: Id(5)] string? ProgressTokenJson)
{
    /// <summary>Clients of this revision and later have no session and take server requests as input-required results.</summary>
    public const string StatelessRevision = "2026-07-28";

    /// <summary>A 2026-07-28 (or later) client: no session; server requests reach it only as input-required results.</summary>
    public bool IsStateless => string.CompareOrdinal(ProtocolVersion, StatelessRevision) >= 0;

    /// <summary>Request-scoped messages have a stream to travel on.</summary>
    public bool HasStream => Endpoint is not null;

    public override string ToString() => $"DownstreamCaller {{ ProtocolVersion = {ProtocolVersion}, CallId = {CallId}, HasStream = {HasStream} }}";
}
