namespace McpGrains;

/// <summary>
/// Asks a session to connect. <see cref="ReturnUrl"/> is already checked against the allow-list (and normalized) by the
/// front end; <see cref="UserLabel"/> is what the sign-in confirmation page names as the account (null: the user id).
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizeRequest")]
public sealed record AuthorizeRequest(
    [property: Id(0)] string? ReturnUrl,
    [property: Id(1)] string? UserLabel = null);
