namespace McpGrains;

/// <summary>
/// A browser acting on a sign-in link: the flow the ticket names, and the browser's binding secret for that flow (from
/// its sign-in cookie; on Continue, a new one when it has none). Both are secrets: <see cref="ToString"/> leaves them out.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.SignInRequest")]
public sealed record SignInRequest(
    [property: Id(0)] McpSessionKey SessionKey,
    [property: Id(1)] string FlowId,
    [property: Id(2)] string? BrowserBinding)
{
    public override string ToString() => $"SignInRequest {{ SessionKey = {SessionKey}, HasBrowserBinding = {BrowserBinding is not null} }}";
}
