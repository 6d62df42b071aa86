namespace McpGrains.Grains.Sessions;

/// <summary>
/// What the server grain says about this session's server: its authorization (kept for this activation once it is not
/// a failure, so that token use costs no extra hop), challenges reported to it, and McpGrains' shared token.
/// </summary>
internal sealed class ServerAuthorizationSource(IMcpServerGrain server, TimeProvider time)
{
    /// <summary>The answer kept for this activation, if any.</summary>
    public ServerAuthorizationResult? Current { get; private set; }

    public async Task<ServerAuthorizationResult> GetAsync(CancellationToken cancellationToken)
    {
        if (Current is not null)
        {
            return Current;
        }

        var result = await server.GetAuthorizationAsync(cancellationToken);
        if (result.Outcome != ServerAuthorizationOutcome.Failed)
        {
            Current = result;
        }

        return result;
    }

    /// <summary>
    /// Hands a challenge the upstream answered with to the server grain, which discovers again when it has not since
    /// the challenge was seen. What was kept is forgotten; <see cref="Remember"/> keeps the new answer.
    /// </summary>
    public Task<ServerAuthorizationResult> ReportChallengeAsync(string challenge, CancellationToken cancellationToken)
    {
        Current = null;
        return server.ReportChallengeAsync(challenge, time.GetUtcNow(), cancellationToken);
    }

    public void Remember(ServerAuthorizationResult result) => Current = result;

    /// <summary>McpGrains' own token for the server; <paramref name="rejectedToken"/> is one the upstream refused.</summary>
    public Task<AccessTokenResult> GetSharedTokenAsync(string? rejectedToken, CancellationToken cancellationToken) =>
        server.GetSharedTokenAsync(rejectedToken, cancellationToken);
}
