using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// A user who has not connected the protected server is told where to sign in, in-band (PROTOCOL.md section 9), and
/// the tools appear once they have.
/// </summary>
[Collection(McpEndpointCollection.Name)]
public sealed class InBandAuthorizationTests(McpEndpointFixture fixture)
{
    private static readonly Dictionary<string, object?> EchoArguments = new() { ["message"] = "after sign-in" };

    [Fact]
    public async Task UrlElicitationClient_GetsMinus32042_ThenCompletionAndTheRealTools()
    {
        var options = new McpClientOptions
        {
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
            Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept" }) },
        };
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, McpEndpointFixture.NewUser(), options);
        await using var completed = new NotificationProbe(client, NotificationMethods.ElicitationCompleteNotification);
        await using var toolsChanged = new NotificationProbe(client, NotificationMethods.ToolListChangedNotification);

        // The sign-in tool first; the host app's last known tools may follow (ToolCatalogBeforeSignInTests).
        var before = await client.ListToolsAsync();
        Assert.Equal("authorize_" + McpEndpointFixture.ProtectedServerId, before[0].Name);

        var error = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.CallToolAsync("echo", EchoArguments).AsTask());
        Assert.Equal(McpErrorCode.UrlElicitationRequired, error.ErrorCode);
        var elicitation = Assert.Single(Assert.IsType<UrlElicitationRequiredException>(error).Elicitations);
        Assert.Equal("url", elicitation.Mode);
        Assert.NotNull(elicitation.Url);
        Assert.NotNull(elicitation.ElicitationId);
        Assert.False(completed.HasFired);
        Assert.DoesNotContain(fixture.Host.Logs.Lines, line => line.Contains(elicitation.Url, StringComparison.Ordinal));

        await fixture.CompleteAuthorizationAsync(elicitation.Url);

        var completion = await completed.WaitAsync();
        Assert.Equal(elicitation.ElicitationId, completion.Params?["elicitationId"]?.GetValue<string>());
        await toolsChanged.WaitAsync();
        var retry = await client.CallToolAsync("echo", EchoArguments);
        Assert.NotEqual(true, retry.IsError);
        Assert.Equal("after sign-in", Assert.IsType<TextContentBlock>(Assert.Single(retry.Content)).Text);
        var after = await client.ListToolsAsync();
        Assert.Equal(["echo", "gather", "whoami"], after.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ClientWithoutUrlElicitation_GetsAToolErrorCarryingTheLink()
    {
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, McpEndpointFixture.NewUser());
        await using var toolsChanged = new NotificationProbe(client, NotificationMethods.ToolListChangedNotification);

        var result = await client.CallToolAsync("authorize_" + McpEndpointFixture.ProtectedServerId);

        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.StartsWith("Authorization required: open ", text, StringComparison.Ordinal);
        Assert.Contains("Protected Test", text, StringComparison.Ordinal);
        var url = text["Authorization required: open ".Length..text.IndexOf(" to connect ", StringComparison.Ordinal)];
        Assert.StartsWith(fixture.AuthorizationServer.AuthorizationEndpoint.ToString(), url, StringComparison.Ordinal);

        Assert.DoesNotContain(fixture.Host.Logs.Lines, line => line.Contains(url, StringComparison.Ordinal));

        await fixture.CompleteAuthorizationAsync(url);
        await toolsChanged.WaitAsync();
        var retry = await client.CallToolAsync("echo", EchoArguments);
        Assert.Equal("after sign-in", Assert.IsType<TextContentBlock>(Assert.Single(retry.Content)).Text);
    }

    [Fact]
    public async Task Client20260728_GetsAnInputRequiredUrlElicitation_AndItsRetrySucceeds()
    {
        ElicitRequestParams? asked = null;
        var options = new McpClientOptions
        {
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
            Handlers = new McpClientHandlers
            {
                // The user opens the link and signs in before the client retries.
                ElicitationHandler = async (request, _) =>
                {
                    asked = request;
                    await fixture.CompleteAuthorizationAsync(request!.Url!);
                    return new ElicitResult { Action = "accept" };
                },
            },
        };
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, McpEndpointFixture.NewUser(), options, protocolVersion: null);
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);

        var result = await client.CallToolAsync("echo", EchoArguments);

        Assert.NotNull(asked);
        Assert.Equal("url", asked.Mode);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("after sign-in", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Client20260728_ThatDeclines_GetsAToolErrorInsteadOfAnotherRound()
    {
        var rounds = 0;
        var options = new McpClientOptions
        {
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (_, _) =>
                {
                    Interlocked.Increment(ref rounds);
                    return ValueTask.FromResult(new ElicitResult { Action = "decline" });
                },
            },
        };
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, McpEndpointFixture.NewUser(), options, protocolVersion: null);

        var result = await client.CallToolAsync("echo", EchoArguments);

        Assert.True(result.IsError);
        Assert.Contains("declined", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text, StringComparison.Ordinal);
        Assert.Equal(1, rounds);
    }

    [Fact]
    public async Task ClientWithoutUrlElicitation_GetsAnErrorNamingTheAuthorizeTool_ForOtherRequests()
    {
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, McpEndpointFixture.NewUser());

        Assert.Empty(await client.ListPromptsAsync());
        Assert.Empty(await client.ListResourcesAsync());
        var error = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.GetPromptAsync("any").AsTask());

        Assert.Contains("Authorization required:", error.Message, StringComparison.Ordinal);
        Assert.Contains("authorize_" + McpEndpointFixture.ProtectedServerId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeTool_WhenTheServerCannotBeReached_SaysSoInsteadOfConnected()
    {
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.UnreachableServerId, McpEndpointFixture.NewUser());

        var result = await client.CallToolAsync("authorize_" + McpEndpointFixture.UnreachableServerId);

        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Contains("not possible", text, StringComparison.Ordinal);
        Assert.DoesNotContain("is connected", text, StringComparison.Ordinal);
    }
}
