namespace McpGrains;

/// <summary>
/// One per configured upstream server, keyed by server id. Holds what all users of the server share: the discovered
/// protected-resource and authorization-server metadata and the client registration (one per server, issuer and
/// redirect URI).
/// </summary>
[Alias("McpGrains.IMcpServerGrain")]
public interface IMcpServerGrain : IGrainWithStringKey
{
    /// <summary>Discovers and registers on first use; afterwards answers from persisted state.</summary>
    [Alias("GetAuthorizationAsync")]
    Task<ServerAuthorizationResult> GetAuthorizationAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A session met a 401/403 challenge the cached discovery did not expect (a server that let the unauthenticated
    /// probe through, or that moved to another authorization server): discover again from the challenge, and register
    /// again when the issuer changed.
    /// </summary>
    [Alias("ReportChallengeAsync")]
    /// <param name="observedAt">When the session saw the challenge: a discovery made after that already reflects it.</param>
    Task<ServerAuthorizationResult> ReportChallengeAsync(string wwwAuthenticate, DateTimeOffset observedAt, CancellationToken cancellationToken = default);

    /// <summary>Re-encrypts the stored client secret under the active master key (after a rotation); true when it changed anything.</summary>
    [Alias("RewrapSecretsAsync")]
    Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// McpGrains' own access token for a server whose users share one (<c>OAuth:GrantType</c> client_credentials or
    /// jwt_bearer): the stored one while it is fresh, else a new one, obtained once however many sessions ask at the
    /// same time (the grain runs one call at a time).
    /// </summary>
    /// <param name="rejectedToken">A token the upstream server refused: not handed out again.</param>
    [Alias("GetSharedTokenAsync")]
    Task<AccessTokenResult> GetSharedTokenAsync(string? rejectedToken, CancellationToken cancellationToken = default);

    /// <summary>Forgets discovered metadata (and a dynamic registration) so the next call discovers again.</summary>
    [Alias("ResetAsync")]
    Task ResetAsync(string reason, CancellationToken cancellationToken = default);
}
