namespace McpGrains;

/// <summary>
/// The authorization response delivered to the front end's callback, after the front end has opened the state
/// envelope. <see cref="FlowId"/> and <see cref="Code"/> are secrets: <see cref="ToString"/> redacts them.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizationCallback")]
public sealed record AuthorizationCallback(
    [property: Id(0)] McpSessionKey SessionKey,
    [property: Id(1)] string FlowId,
    [property: Id(2)] string? Code,
    [property: Id(3)] string? Issuer,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? ErrorDescription)
{
    public override string ToString() =>
        $"AuthorizationCallback {{ SessionKey = {SessionKey}, HasCode = {Code is not null}, HasIssuer = {Issuer is not null}, Error = {Error} }}";
}
