namespace McpGrains;

/// <summary>
/// The answer to Continue: the authorization server URL to redirect this browser to (it carries the sealed state: a
/// secret, left out of <see cref="ToString"/>), or why not.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.SignInContinuation")]
public sealed record SignInContinuation(
    [property: Id(0)] SignInOutcome Outcome,
    [property: Id(1)] string? AuthorizationUrl)
{
    public static SignInContinuation Refused(SignInOutcome outcome) => new(outcome, null);

    public override string ToString() => $"SignInContinuation {{ Outcome = {Outcome} }}";
}
