namespace McpGrains.Grains.Tests.Parts;

/// <summary>The server grain's answers as a session's parts see them, set by the test; challenges reported are recorded.</summary>
internal sealed class StubServerGrain(ServerAuthorizationResult authorization) : IMcpServerGrain
{
    public ServerAuthorizationResult Authorization { get; set; } = authorization;

    public int AuthorizationRequests { get; private set; }

    public List<string> ReportedChallenges { get; } = [];

    public Task<ServerAuthorizationResult> GetAuthorizationAsync(CancellationToken cancellationToken = default)
    {
        AuthorizationRequests++;
        return Task.FromResult(Authorization);
    }

    public Task<ServerAuthorizationResult> ReportChallengeAsync(string wwwAuthenticate, DateTimeOffset observedAt, CancellationToken cancellationToken = default)
    {
        ReportedChallenges.Add(wwwAuthenticate);
        return Task.FromResult(Authorization);
    }

    public Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<AccessTokenResult> GetSharedTokenAsync(string? rejectedToken, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccessTokenResult(AccessTokenOutcome.Failed, null, null, ConnectionStatus.Error, new SessionError(SessionErrorCodes.DiscoveryFailed, "No shared token here.")));

    public Task ResetAsync(string reason, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
