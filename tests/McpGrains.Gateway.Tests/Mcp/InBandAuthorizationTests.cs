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
        var link = Assert.IsType<string>(elicitation.Url);
        Assert.StartsWith(McpEndpointFixture.PublicBaseUrl + "/oauth/start/", link, StringComparison.Ordinal);
        Assert.NotNull(elicitation.ElicitationId);
        Assert.False(completed.HasFired);
        Assert.DoesNotContain(fixture.Host.Logs.Lines, line => line.Contains(link, StringComparison.Ordinal));

        await fixture.CompleteAuthorizationAsync(link);

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
        // McpGrains' sign-in link, never the provider's URL with its state: the text reaches the model and chat history.
        Assert.StartsWith(McpEndpointFixture.PublicBaseUrl + "/oauth/start/", url, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.AuthorizationServer.Issuer, text, StringComparison.Ordinal);

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
        Assert.StartsWith(McpEndpointFixture.PublicBaseUrl + "/oauth/start/", asked.Url, StringComparison.Ordinal);
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

    [Fact]
    public async Task UserLabelHeader_IsTheAccountTheConfirmationPageNames()
    {
        var user = McpEndpointFixture.NewUser();
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, user, userLabel: "alice@example.com");

        var result = await client.CallToolAsync("authorize_" + McpEndpointFixture.ProtectedServerId);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        var url = text["Authorization required: open ".Length..text.IndexOf(" to connect ", StringComparison.Ordinal)];
        var page = await fixture.Browser.OpenAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.OK, page.Status);
        Assert.Contains("alice@example.com", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(user, page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnresolvedLabelPlaceholder_FallsBackToTheUserId_AndAnOverlongLabelIs400()
    {
        var user = McpEndpointFixture.NewUser();
        await using var client = await fixture.ConnectClientAsync(McpEndpointFixture.ProtectedServerId, user, userLabel: "{{LIBRECHAT_USER_EMAIL}}");
        using var raw = fixture.CreateRawClient(McpEndpointFixture.HostKey, user);
        raw.DefaultRequestHeaders.Add("X-User-Label", new string('x', UserLabels.MaxLength + 1));

        var result = await client.CallToolAsync("authorize_" + McpEndpointFixture.ProtectedServerId);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        var page = await fixture.Browser.OpenAsync(text["Authorization required: open ".Length..text.IndexOf(" to connect ", StringComparison.Ordinal)]);
        using var refused = await raw.PostAsync("/mcp/" + McpEndpointFixture.ProtectedServerId, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(user, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("LIBRECHAT", page.Text, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("invalid_user_label", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
