using Orleans;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// The front end's session grain references skip Orleans' per-call type lookup after the first: they must still name
/// exactly the grain <c>GetGrain&lt;IMcpSessionGrain&gt;(key)</c> names, for every key, and reach it.
/// </summary>
public sealed class SessionGrainReferencesTests
{
    [Fact]
    public async Task References_after_the_first_name_the_grain_GetGrain_names_and_reach_it()
    {
        await using var gateway = await CrossNodeGateway.StartAsync("refs", new Uri("http://127.0.0.1:9/mcp"), frontEnds: 0);
        var grains = gateway.Cluster.Client;
        var alice = new McpSessionKey("t1", "alice", "refs");
        var bob = new McpSessionKey("t2", "bob/with slash", "refs");

        var first = grains.SessionGrain(alice);
        var second = grains.SessionGrain(bob);
        var again = grains.SessionGrain(alice);

        Assert.Equal(grains.GetGrain<IMcpSessionGrain>(alice.Format()).GetGrainId(), first.GetGrainId());
        Assert.Equal(grains.GetGrain<IMcpSessionGrain>(bob.Format()).GetGrainId(), second.GetGrainId());
        Assert.Equal(first.GetGrainId(), again.GetGrainId());
        Assert.NotEqual(first.GetGrainId(), second.GetGrainId());
        var connection = await second.GetConnectionAsync();
        Assert.Equal("refs", connection.ServerId);
        Assert.Equal(ConnectionStatus.NotConnected, connection.Status);
    }
}
