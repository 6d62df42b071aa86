namespace McpGrains.Gateway.Contracts;

/// <summary>
/// The optional body of <c>POST .../authorize</c>: where the browser goes after the callback, and the label (an e-mail
/// address) the sign-in confirmation page names as the account being connected; for a host app in binding mode oidc,
/// the identity (an e-mail address) the organization's sign-in must show; and, for a server with enterprise-managed
/// authorization, the user's identity assertion (an ID token from the organization's identity provider; a secret,
/// never echoed).
/// </summary>
public sealed record AuthorizeConnectionRequest(string? ReturnUrl, string? UserLabel = null, string? Identity = null, string? IdentityAssertion = null)
{
    public override string ToString() => $"AuthorizeConnectionRequest {{ ReturnUrl = {ReturnUrl}, UserLabel = {UserLabel}, Identity = {Identity}, HasIdentityAssertion = {IdentityAssertion is not null} }}";
}
