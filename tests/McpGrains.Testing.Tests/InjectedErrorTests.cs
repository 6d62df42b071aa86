using System.Net;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class InjectedErrorTests
{
    private const string RedirectUri = "http://127.0.0.1:1/oauth/callback";

    private static TestAuthorizationServerOptions WithPublicClient() => new()
    {
        PreRegisteredClients = [new PreRegisteredClient { ClientId = "gateway", RedirectUris = [RedirectUri] }],
    };

    [Fact]
    public async Task InjectedAuthorizeError_RedirectsBackWithErrorStateAndIss_Once()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithPublicClient());
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient("gateway", null, "none", RedirectUri);
        server.InjectAuthorizeError("access_denied");

        var denied = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var granted = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);

        Assert.Equal("access_denied", denied.Callback["error"]);
        Assert.True(denied.Callback.ContainsKey("error_description"));
        Assert.Equal(denied.State, denied.Callback["state"]);
        Assert.Equal(server.Issuer, denied.Callback["iss"]);
        Assert.False(denied.Callback.ContainsKey("code"));
        Assert.True(granted.Callback.ContainsKey("code"));
    }

    [Fact]
    public async Task UnknownRedirectUri_Answers400_WithoutRedirect()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithPublicClient());
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient("gateway", null, "none", "http://127.0.0.1:1/evil");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.AuthorizeAsync(browser, server.AuthorizationEndpoint));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirect_uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownClient_Answers400_WithoutRedirect()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithPublicClient());
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient("nobody", null, "none", RedirectUri);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.AuthorizeAsync(browser, server.AuthorizationEndpoint));

        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InjectedTokenError_FailsTheGivenNumberOfRequests_ThenTheCodeStillWorks()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithPublicClient());
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient("gateway", null, "none", RedirectUri);
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        server.InjectTokenError("temporarily_unavailable", "try later", times: 2);

        var first = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);
        var second = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);
        var third = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Equal("temporarily_unavailable", first.Error);
        Assert.Equal("try later", first.String("error_description"));
        Assert.Equal("temporarily_unavailable", second.Error);
        Assert.True(third.IsSuccess, third.Json.ToString());
        Assert.Equal(3, server.TokenRequestCount);
    }

    [Fact]
    public async Task RevokeAndExpireControls_InvalidateAccessTokens()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithPublicClient());
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient("gateway", null, "none", RedirectUri);
        var a = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokensA = await client.RedeemCodeAsync(server.TokenEndpoint, a.Code, a.Verifier);
        var b = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokensB = await client.RedeemCodeAsync(server.TokenEndpoint, b.Code, b.Verifier);

        Assert.True(server.RevokeAccessToken(tokensA.AccessToken));
        Assert.False(server.IsAccessTokenValid(tokensA.AccessToken, out _));
        Assert.True(server.IsAccessTokenValid(tokensB.AccessToken, out _));
        server.ExpireAllAccessTokens();
        Assert.False(server.IsAccessTokenValid(tokensB.AccessToken, out _));

        var refreshed = await client.RefreshAsync(server.TokenEndpoint, tokensB.RefreshToken!);
        Assert.True(server.IsAccessTokenValid(refreshed.AccessToken, out _));
        server.RevokeAllAccessTokens();
        Assert.False(server.IsAccessTokenValid(refreshed.AccessToken, out _));
    }
}
