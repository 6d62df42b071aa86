namespace McpGrains;

/// <summary>The answer to an <see cref="UpstreamRequest"/>.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.UpstreamResult")]
public sealed record UpstreamResult(
    [property: Id(0)] UpstreamOutcome Outcome,
    [property: Id(1)] string? ResultJson,
    [property: Id(2)] UpstreamRpcError? RpcError,
    [property: Id(3)] PendingAuthorizationInfo? Authorization,
    [property: Id(4)] SessionError? Error,
    [property: Id(5)] int RelayedMessages = 0)
{
    public static UpstreamResult Success(string resultJson) => new(UpstreamOutcome.Success, resultJson, null, null, null);

    public static UpstreamResult Failure(UpstreamRpcError error) => new(UpstreamOutcome.RpcError, null, error, null, null);

    public static UpstreamResult AuthorizationRequired(PendingAuthorizationInfo? authorization, SessionError? error) =>
        new(UpstreamOutcome.AuthorizationRequired, null, null, authorization, error);

    public static UpstreamResult Unavailable(SessionError error) => new(UpstreamOutcome.Unavailable, null, null, null, error);

    public static UpstreamResult TimedOut(SessionError error) => new(UpstreamOutcome.Timeout, null, null, null, error);

    /// <summary>
    /// How many request-scoped messages (progress, server requests) were sent to the caller's endpoint during the call:
    /// the front end writes them all before the result, whatever order they arrive in.
    /// </summary>
    public UpstreamResult WithRelayedMessages(int count) => count == RelayedMessages ? this : this with { RelayedMessages = count };

    public override string ToString() => $"UpstreamResult {{ Outcome = {Outcome}, RpcError = {RpcError?.Code}, Error = {Error?.Code} }}";
}
