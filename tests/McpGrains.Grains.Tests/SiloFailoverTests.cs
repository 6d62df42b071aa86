using McpGrains.Grains.Tests.Cluster;
using Orleans.Runtime;

namespace McpGrains.Grains.Tests;

/// <summary>A flow begun on one silo completes through another after the first is killed mid-flow.</summary>
public sealed class SiloFailoverTests : IClassFixture<FailoverClusterFixture>
{
    private readonly FailoverClusterFixture _fixture;

    public SiloFailoverTests(FailoverClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task CallbackCompletes_AfterTheSiloHostingTheGrainIsKilled()
    {
        var secondary = _fixture.Cluster.SecondarySilos[0];
        var management = _fixture.Grains.GetGrain<IManagementGrain>(0);

        // Find a session whose grain lives on the secondary silo (membership lives on the primary, so kill secondaries).
        McpSessionKey? onSecondary = null;
        for (var attempt = 0; attempt < 64 && onSecondary is null; attempt++)
        {
            var candidate = SessionClusterFixture.NewKey();
            var grain = _fixture.Session(candidate);
            await grain.GetConnectionAsync();
            if (await management.GetActivationAddress(grain) == secondary.SiloAddress)
            {
                onSecondary = candidate;
            }
        }

        Assert.True(onSecondary is not null, "no session grain was placed on the secondary silo in 64 tries");
        var key = onSecondary.Value;

        // The flow begins on the silo hosting the grain, which persists the pending authorization.
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        Assert.True(authorize.Outcome == AuthorizeOutcome.AuthorizationRequired, authorize.Error?.Message);
        var callback = await _fixture.SignInAsync(authorize.AuthorizationUrl!);

        await _fixture.Cluster.KillSiloAsync(secondary);
        await _fixture.Cluster.WaitForLivenessToStabilizeAsync();

        // The callback arrives through the surviving silo; the grain reactivates there from storage. While the
        // client still routes to the dead silo, its calls are refused; the front end's FailoverRetryFilter retries.
        var result = await _fixture.DeliverCallbackAsync(callback);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(_fixture.Cluster.Primary!.SiloAddress, await management.GetActivationAddress(_fixture.Session(key)));
        var token = await _fixture.Session(key).GetAccessTokenAsync();
        Assert.Equal(AccessTokenOutcome.Token, token.Outcome);
        Assert.True(_fixture.AuthorizationServer.IsAccessTokenValid(token.AccessToken!, out _));
        Assert.Equal(ConnectionStatus.Connected, (await _fixture.Session(key).GetConnectionAsync()).Status);
    }
}
