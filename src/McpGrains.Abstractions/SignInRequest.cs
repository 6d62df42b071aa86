namespace McpGrains;

/// <summary>
/// A browser acting on a sign-in link: the flow the ticket names, and the browser's binding secret for that flow (from
/// its sign-in cookie; on Continue, a new one when it has none), both secrets that <see cref="ToString"/> leaves out;
/// and, in binding mode <c>oidc</c>, the identity the organization's OpenID Connect sign-in showed for this browser.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.SignInRequest")]
public sealed record SignInRequest(
    [property: Id(0)] McpSessionKey SessionKey,
    [property: Id(1)] string FlowId,
    [property: Id(2)] string? BrowserBinding,
    [property: Id(3)] string? VerifiedIdentity = null)
{
    public override string ToString() => $"SignInRequest {{ SessionKey = {SessionKey}, HasBrowserBinding = {BrowserBinding is not null} }}";
}
