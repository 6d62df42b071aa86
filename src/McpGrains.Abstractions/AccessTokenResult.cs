namespace McpGrains;

public enum AccessTokenOutcome
{
    /// <summary>A fresh access token is in <see cref="AccessTokenResult.AccessToken"/>.</summary>
    Token = 0,

    /// <summary>The upstream server needs no authorization.</summary>
    NotRequired = 1,

    /// <summary>The user must (re)authorize; <see cref="AccessTokenResult.Status"/> says which.</summary>
    AuthorizationRequired = 2,

    /// <summary>The token could not be obtained for another reason (authorization server unreachable...).</summary>
    Failed = 3,
}

/// <summary>An access token for the upstream server, refreshed if it was about to expire. Redacted in <see cref="ToString"/>.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AccessTokenResult")]
public sealed record AccessTokenResult(
    [property: Id(0)] AccessTokenOutcome Outcome,
    [property: Id(1)] string? AccessToken,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] ConnectionStatus Status,
    [property: Id(4)] SessionError? Error)
{
    public override string ToString() =>
        $"AccessTokenResult {{ Outcome = {Outcome}, ExpiresAt = {ExpiresAt}, Status = {Status}, Error = {Error?.Code} }}";
}
