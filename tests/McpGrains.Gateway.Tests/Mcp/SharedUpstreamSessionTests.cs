using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>One upstream session per (user, server), whatever the number of downstream sessions; healed without the user.</summary>
[Collection(McpEndpointCollection.Name)]
public sealed class SharedUpstreamSessionTests(McpEndpointFixture fixture)
{
    [Fact]
    public async Task TwoDownstreamSessionsOfOneUser_ShareOneUpstreamSession_AndUsersNeverShare()
    {
        var alice = McpEndpointFixture.NewUser();
        var bob = McpEndpointFixture.NewUser();
        await fixture.ConnectUserAsync(alice);
        await fixture.ConnectUserAsync(bob);
        var before = fixture.ProtectedServer.SessionsInitialized;

        await using var first = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, alice);
        await using var second = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, alice);
        Assert.Equal("a", await EchoAsync(first, "a"));
        Assert.Equal("b", await EchoAsync(second, "b"));
        Assert.Equal(before + 1, fixture.ProtectedServer.SessionsInitialized);

        await using var third = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, bob);
        Assert.Equal("c", await EchoAsync(third, "c"));
        Assert.Equal(before + 2, fixture.ProtectedServer.SessionsInitialized);
    }

    [Fact]
    public async Task MidSessionRevocation_IsHealedByOneRefresh()
    {
        var user = McpEndpointFixture.NewUser();
        await fixture.ConnectUserAsync(user);
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, user);
        Assert.Equal("before", await EchoAsync(client, "before"));
        var refreshes = fixture.AuthorizationServer.RefreshRequestCount;

        fixture.AuthorizationServer.RevokeAllAccessTokens();

        Assert.Equal("after", await EchoAsync(client, "after"));
        Assert.Equal(refreshes + 1, fixture.AuthorizationServer.RefreshRequestCount);
    }

    private static async Task<string?> EchoAsync(McpClient client, string message)
    {
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message });
        Assert.True(result.IsError != true, (result.Content.FirstOrDefault() as TextContentBlock)?.Text);
        return Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
    }
}
