namespace McpGrains;

/// <summary>
/// One MCP request to forward upstream: its JSON-RPC method and params (raw JSON, as the downstream client sent them,
/// or null), the label and identity the host app gave the user (for a sign-in link the request may need) and, for
/// requests of <c>/mcp/{serverId}</c>, the downstream caller. Arguments may hold user data: <see cref="ToString"/>
/// leaves params out.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.UpstreamRequest")]
public sealed record UpstreamRequest(
    [property: Id(0)] string Method,
    [property: Id(1)] string? ParamsJson,
    [property: Id(2)] string? UserLabel = null,
    [property: Id(3)] string? Identity = null,
    [property: Id(5)] Downstream.DownstreamCaller? Caller = null)
{
    /// <summary>The user's identity assertion, as on <see cref="AuthorizeRequest.IdentityAssertion"/>. A secret.</summary>
    [Id(4)] public string? IdentityAssertion { get; init; }

    public override string ToString() => $"UpstreamRequest {{ Method = {Method} }}";
}
