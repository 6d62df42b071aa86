namespace McpGrains;

public enum AuthorizeOutcome
{
    Connected = 0,
    AuthorizationRequired = 1,
    Failed = 2,
}

/// <summary>
/// The answer to <see cref="IMcpSessionGrain.AuthorizeAsync"/>. <see cref="AuthorizationUrl"/> is the McpGrains sign-in
/// link (<c>{PublicBaseUrl}/oauth/start/{ticket}</c>), a secret: <see cref="ToString"/> leaves it out.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizeResult")]
public sealed record AuthorizeResult(
    [property: Id(0)] AuthorizeOutcome Outcome,
    [property: Id(1)] string? AuthorizationUrl,
    [property: Id(2)] SessionError? Error)
{
    public static AuthorizeResult Connected { get; } = new(AuthorizeOutcome.Connected, null, null);

    public static AuthorizeResult Required(string authorizationUrl) => new(AuthorizeOutcome.AuthorizationRequired, authorizationUrl, null);

    public static AuthorizeResult Failed(SessionError error) => new(AuthorizeOutcome.Failed, null, error);

    public override string ToString() => $"AuthorizeResult {{ Outcome = {Outcome}, Error = {Error?.Code} }}";
}
