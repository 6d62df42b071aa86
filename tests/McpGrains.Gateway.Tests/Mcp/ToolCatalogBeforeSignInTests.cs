using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// Saved agents call tools by name (LibreChat's create_issue_mcp_github): before a user signs in, the server's real
/// tools, as another user of the host app saw them, are listed beside the sign-in tool, and calling one answers with
/// the sign-in link; after the sign-in the same call runs.
/// </summary>
[Collection(McpEndpointCollection.Name)]
public sealed class ToolCatalogBeforeSignInTests(McpEndpointFixture fixture)
{
    [Fact]
    public async Task SavedAgentCall_BeforeSignIn_GetsTheSignInText_AndAfterSignIn_Runs()
    {
        // Another user of the same host app, connected, has listed the server's tools.
        var colleague = McpEndpointFixture.NewUser();
        await fixture.ConnectUserAsync(colleague);
        await using (var seen = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, colleague))
        {
            await seen.ListToolsAsync();
        }

        var user = McpEndpointFixture.NewUser();
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, user);
        await using var toolsChanged = new NotificationProbe(client, NotificationMethods.ToolListChangedNotification);

        var before = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Equal("authorize_" + McpEndpointFixture.ProtectedServerId, before[0]);
        Assert.Contains("echo", before);

        var refused = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "saved agent" });
        Assert.True(refused.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(refused.Content)).Text;
        Assert.StartsWith("Authorization required: open ", text, StringComparison.Ordinal);

        var url = text["Authorization required: open ".Length..text.IndexOf(" to connect ", StringComparison.Ordinal)];
        await fixture.CompleteAuthorizationAsync(url);
        await toolsChanged.WaitAsync();

        var ran = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "saved agent" });
        Assert.NotEqual(true, ran.IsError);
        Assert.Equal("saved agent", Assert.IsType<TextContentBlock>(Assert.Single(ran.Content)).Text);
    }

    [Fact]
    public async Task CatalogSwitchedOff_OnlyTheSignInToolIsListed()
    {
        var colleague = McpEndpointFixture.NewUser();
        await fixture.ConnectUserAsync(colleague, McpEndpointFixture.NoCatalogServerId);
        await using (var seen = await fixture.ConnectClientAsync(McpEndpointFixture.NoCatalogServerId, colleague))
        {
            Assert.Contains("echo", (await seen.ListToolsAsync()).Select(t => t.Name));
        }

        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.NoCatalogServerId, McpEndpointFixture.NewUser());

        var tools = await client.ListToolsAsync();

        Assert.Equal("authorize_" + McpEndpointFixture.NoCatalogServerId, Assert.Single(tools).Name);
    }
}
