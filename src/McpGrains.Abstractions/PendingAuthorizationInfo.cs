namespace McpGrains;

/// <summary>
/// Where the user must go to (re)authorize, for in-band prompts: the McpGrains sign-in link in
/// <see cref="AuthorizationUrl"/> (a secret-bearing link: never log it), an elicitation id that <see cref="IMcpSessionObserver.OnAuthorizationCompletedAsync"/> repeats when the flow
/// completes, and when the link lapses.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.PendingAuthorizationInfo")]
public sealed record PendingAuthorizationInfo(
    [property: Id(0)] string AuthorizationUrl,
    [property: Id(1)] string ElicitationId,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] ConnectionStatus Status)
{
    public override string ToString() => $"PendingAuthorizationInfo {{ ElicitationId = {ElicitationId}, ExpiresAt = {ExpiresAt:O}, Status = {Status} }}";
}
