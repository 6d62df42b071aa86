namespace McpGrains;

/// <summary>
/// What the confirmation page shows about a pending sign-in: the label the host app gave the user (null: show the
/// user id), the authorization server's host (where the browser will be sent) and when the link lapses; in binding mode
/// <c>oidc</c>, the identity the host app named (also when <see cref="Outcome"/> is an identity mismatch, to say so).
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.SignInDescription")]
public sealed record SignInDescription(
    [property: Id(0)] SignInOutcome Outcome,
    [property: Id(1)] string? UserLabel,
    [property: Id(2)] string? ProviderHost,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] string? ExpectedIdentity = null)
{
    public static SignInDescription Refused(SignInOutcome outcome) => new(outcome, null, null, null);
}
