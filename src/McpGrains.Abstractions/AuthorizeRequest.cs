namespace McpGrains;

/// <summary>
/// Asks a session to connect. <see cref="ReturnUrl"/> is already checked against the allow-list (and normalized) by the
/// front end; <see cref="UserLabel"/> is what the sign-in confirmation page names as the account (null: the user id);
/// <see cref="Identity"/> is the identity the host app named for the user (binding mode <c>oidc</c>: the value the
/// organization's sign-in must show).
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizeRequest")]
public sealed record AuthorizeRequest(
    [property: Id(0)] string? ReturnUrl,
    [property: Id(1)] string? UserLabel = null,
    [property: Id(2)] string? Identity = null)
{
    /// <summary>
    /// The user's identity assertion (an ID token from the organization's identity provider) for a server with
    /// enterprise-managed authorization (<c>OAuth:GrantType identity_assertion</c>). A secret: not in <see cref="ToString"/>.
    /// </summary>
    [Id(3)] public string? IdentityAssertion { get; init; }

    public override string ToString() => $"AuthorizeRequest {{ ReturnUrl = {ReturnUrl}, UserLabel = {UserLabel}, Identity = {Identity}, HasIdentityAssertion = {IdentityAssertion is not null} }}";
}
