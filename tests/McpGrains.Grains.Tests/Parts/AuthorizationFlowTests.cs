using McpGrains.Configuration;
using McpGrains.Grains.Sessions;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>The browser sign-in without a cluster: the project's OAuth server on loopback, a test browser, in-memory state.</summary>
public sealed class AuthorizationFlowTests
{
    private const string Resource = "https://mcp.example.com/mcp";

    private static async Task<(TestAuthorizationServer Server, SessionHarness Harness)> StartAsync(Action<McpGrainsOptions>? configure = null)
    {
        var server = await SessionHarness.StartAuthorizationServerAsync();
        return (server, SessionHarness.Create(configure, ServerAuthorizationResult.Ready(SessionHarness.AuthorizationFor(server, SessionHarness.ClientId, Resource))));
    }

    [Fact]
    public async Task BeginAsync_WritesThePendingFlowBeforeTheLinkLeaves()
    {
        var (server, harness) = await StartAsync();
        await using var serverScope = server;
        using var harnessScope = harness;

        var begun = await harness.Parts.Flow.BeginAsync(harness.ServerGrain.Authorization.Authorization!, returnUrl: null, CancellationToken.None);

        Assert.StartsWith(SessionHarness.PublicBaseUrl + McpGrainsOptions.SignInPath + "/", begun.AuthorizationUrl, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.AuthorizationPending, harness.State.State.Status);
        Assert.NotNull(harness.State.State.Pending);
        Assert.Equal(1, harness.State.Writes);
        Assert.Equal(1, harness.DataKey.Writes);
        Assert.Equal(0, server.AuthorizeRequestCount);
    }

    [Fact]
    public async Task CompleteAsync_ExchangesTheCode_StoresTheTokensEncrypted_AndTellsTheClients()
    {
        var (server, harness) = await StartAsync();
        await using var serverScope = server;
        using var harnessScope = harness;
        using var browser = new TestBrowser();

        var result = await harness.SignInAsync(browser);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("https://chat.example.com/", result.ReturnUrl);
        var tokens = harness.State.State.Tokens!;
        Assert.Equal(ConnectionStatus.Connected, harness.State.State.Status);
        Assert.Equal(server.Issuer, tokens.Issuer);
        var accessToken = harness.Parts.Endpoint.CurrentToken().AccessToken!;
        Assert.True(server.IsAccessTokenValid(accessToken, out _));
        Assert.DoesNotContain(accessToken, System.Text.Encoding.UTF8.GetString(tokens.ProtectedAccessToken), StringComparison.Ordinal);
        Assert.Single(harness.Completed);
        Assert.Contains(ProactiveRefreshSchedule.ReminderName, harness.Reminders.Registered.Keys);
        Assert.Equal(1, server.AuthorizationCodeGrantCount);
    }

    [Fact]
    public async Task CompleteAsync_AReplayedCallbackFindsNothingToComplete_AndChangesNothing()
    {
        var (server, harness) = await StartAsync();
        await using var serverScope = server;
        using var harnessScope = harness;
        using var browser = new TestBrowser();
        var authorization = harness.ServerGrain.Authorization.Authorization!;
        var begun = await harness.Parts.Flow.BeginAsync(authorization, null, CancellationToken.None);
        Assert.True(harness.Services.TicketCodec.TryUnprotect(begun.AuthorizationUrl![(begun.AuthorizationUrl!.LastIndexOf('/') + 1)..], out var flow));
        var continuation = await harness.Parts.SignIn.ContinueAsync(new SignInRequest(SessionHarness.Key, flow!.FlowId, "browser"), CancellationToken.None);
        var callback = await browser.FollowToAsync(continuation.AuthorizationUrl!, new Uri(harness.Options.RedirectUri));
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        var response = new AuthorizationCallback(SessionHarness.Key, flow.FlowId, query["code"], query["iss"], null, null, "browser");
        Assert.True((await harness.Parts.Flow.CompleteAsync(response, CancellationToken.None)).Succeeded);
        var tokens = harness.State.State.Tokens;

        var replay = await harness.Parts.Flow.CompleteAsync(response, CancellationToken.None);

        Assert.False(replay.Succeeded);
        Assert.Equal(SessionErrorCodes.NoPendingAuthorization, replay.Error!.Code);
        Assert.Same(tokens, harness.State.State.Tokens);
        Assert.Equal(1, server.AuthorizationCodeGrantCount);
    }

    [Fact]
    public async Task CompleteAsync_InHostVerificationMode_HoldsTheTokensUntilTheHostAppConfirms()
    {
        var (server, harness) = await StartAsync(options => options.HostApps["host"] = new HostAppOptions { Binding = SignInBindingModes.HostVerification, VerificationUrl = "https://chat.example.com/verify" });
        await using var serverScope = server;
        using var harnessScope = harness;
        using var browser = new TestBrowser();

        var result = await harness.SignInAsync(browser);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.NotNull(result.VerificationFlowId);
        Assert.Null(harness.State.State.Tokens);
        Assert.NotNull(harness.State.State.Unconfirmed);
        Assert.Equal(TimeSpan.FromMinutes(5), harness.Reminders.Registered[HostVerification.ReminderName]);
        Assert.Empty(harness.Completed);
    }
}
