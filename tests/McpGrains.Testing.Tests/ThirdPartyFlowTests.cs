using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class ThirdPartyFlowTests
{
    [Fact]
    public async Task DelegatingServer_SendsTheBrowserToTheThirdParty_AndIssuesItsOwnCodeForThatUser()
    {
        await using var thirdParty = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { SupportsDynamicRegistration = false });
        var options = TokenObtainer.OptionsWithGatewayClient();
        options.DelegateTo = thirdParty;
        await using var mcpAuthorizationServer = await TestAuthorizationServer.StartAsync(options);
        await using var mcp = await ProtectedMcpServer.StartAsync(mcpAuthorizationServer);
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient(TokenObtainer.ClientId, null, "none", TokenObtainer.RedirectUri);

        var authorization = await client.AuthorizeAsync(browser, mcpAuthorizationServer.AuthorizationEndpoint, "carol", "mcp:read", mcp.Resource);

        Assert.Equal(authorization.State, authorization.Callback["state"]);
        Assert.Equal(mcpAuthorizationServer.Issuer, authorization.Callback["iss"]);
        Assert.Equal(3, browser.VisitedUris.Count);
        Assert.StartsWith(thirdParty.AuthorizationEndpoint.ToString(), browser.VisitedUris[1].ToString(), StringComparison.Ordinal);
        Assert.StartsWith(mcpAuthorizationServer.UpstreamCallbackUri.ToString(), browser.VisitedUris[2].ToString(), StringComparison.Ordinal);
        Assert.Equal(1, thirdParty.AuthorizeRequestCount);
        Assert.Equal(1, thirdParty.AuthorizationCodeGrantCount);
        var grant = Assert.Single(mcpAuthorizationServer.DelegatedGrants);
        Assert.Equal("carol", grant.Subject);
        Assert.True(thirdParty.IsAccessTokenValid(grant.ThirdPartyAccessToken, out _));

        var tokens = await client.RedeemCodeAsync(mcpAuthorizationServer.TokenEndpoint, authorization.Code, authorization.Verifier, mcp.Resource);
        Assert.True(mcpAuthorizationServer.IsAccessTokenValid(tokens.AccessToken, out var info));
        Assert.Equal("carol", info.Subject);
        Assert.False(thirdParty.IsAccessTokenValid(tokens.AccessToken, out _));
    }

    [Fact]
    public async Task ThirdPartyDenial_ReachesTheClientAsAccessDenied()
    {
        await using var thirdParty = await TestAuthorizationServer.StartAsync();
        var options = TokenObtainer.OptionsWithGatewayClient();
        options.DelegateTo = thirdParty;
        await using var mcpAuthorizationServer = await TestAuthorizationServer.StartAsync(options);
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient(TokenObtainer.ClientId, null, "none", TokenObtainer.RedirectUri);
        thirdParty.InjectAuthorizeError("access_denied");

        var authorization = await client.AuthorizeAsync(browser, mcpAuthorizationServer.AuthorizationEndpoint);

        Assert.Equal("access_denied", authorization.Callback["error"]);
        Assert.Equal(authorization.State, authorization.Callback["state"]);
        Assert.Empty(mcpAuthorizationServer.DelegatedGrants);
    }
}
