using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests.Parts;

public sealed class ServerAuthorizationSourceTests
{
    private static readonly ServerAuthorizationResult Failed = ServerAuthorizationResult.Failed(new SessionError(SessionErrorCodes.DiscoveryFailed, "down"));

    [Fact]
    public async Task GetAsync_KeepsAnAnswerForTheActivation_ButAsksAgainAfterAFailure()
    {
        var grain = new StubServerGrain(Failed);
        var source = new ServerAuthorizationSource(grain, TimeProvider.System);

        Assert.Same(Failed, await source.GetAsync(CancellationToken.None));
        Assert.Null(source.Current);
        grain.Authorization = ServerAuthorizationResult.NotRequired;
        await source.GetAsync(CancellationToken.None);
        await source.GetAsync(CancellationToken.None);

        Assert.Equal(2, grain.AuthorizationRequests);
        Assert.Same(ServerAuthorizationResult.NotRequired, source.Current);
    }

    [Fact]
    public async Task ReportChallengeAsync_ForgetsWhatWasKept_UntilRemembered()
    {
        var grain = new StubServerGrain(ServerAuthorizationResult.NotRequired);
        var source = new ServerAuthorizationSource(grain, TimeProvider.System);
        await source.GetAsync(CancellationToken.None);

        var answer = await source.ReportChallengeAsync("Bearer scope=\"mcp:read\"", CancellationToken.None);

        Assert.Null(source.Current);
        Assert.Equal(["Bearer scope=\"mcp:read\""], grain.ReportedChallenges);
        source.Remember(answer);
        Assert.Same(answer, source.Current);
    }
}
