namespace McpGrains;

/// <summary>
/// The authorization response delivered to the front end's callback, after the front end has opened the state
/// envelope, with the binding secret from the sign-in cookie of the browser that delivered it (null: it has none).
/// <see cref="FlowId"/>, <see cref="Code"/> and <see cref="BrowserBinding"/> are secrets: <see cref="ToString"/> redacts them.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizationCallback")]
public sealed record AuthorizationCallback(
    [property: Id(0)] McpSessionKey SessionKey,
    [property: Id(1)] string FlowId,
    [property: Id(2)] string? Code,
    [property: Id(3)] string? Issuer,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? ErrorDescription,
    [property: Id(6)] string? BrowserBinding = null)
{
    public override string ToString() =>
        $"AuthorizationCallback {{ SessionKey = {SessionKey}, HasCode = {Code is not null}, HasIssuer = {Issuer is not null}, HasBrowserBinding = {BrowserBinding is not null}, Error = {Error} }}";
}
