namespace McpGrains.Gateway.Mcp;

/// <summary>
/// What the host app says about the user on a request: a label for a sign-in link's confirmation page (an e-mail
/// address), in binding mode oidc the identity the organization's sign-in must show, and for enterprise-managed
/// authorization the user's identity assertion (a secret: <see cref="ToString"/> leaves it out).
/// </summary>
internal readonly record struct UserSubject(string? Label, string? Identity, string? IdentityAssertion)
{
    public override string ToString() => $"UserSubject {{ Label = {Label}, Identity = {Identity}, IdentityAssertion = {(IdentityAssertion is null ? "none" : "***")} }}";
}
