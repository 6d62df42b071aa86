using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class AuthorizationCodeFlowTests
{
    private const string RedirectUri = "http://127.0.0.1:1/oauth/callback";
    private const string Resource = "http://mcp.example/mcp";

    private static TestAuthorizationServerOptions WithClient(string method = "client_secret_basic") => new()
    {
        PreRegisteredClients =
        [
            new PreRegisteredClient
            {
                ClientId = "gateway",
                ClientSecret = method == "none" ? null : "gateway-secret",
                RedirectUris = [RedirectUri],
                TokenEndpointAuthMethod = method,
            },
        ],
    };

    private static OAuthTestClient Client(string method = "client_secret_basic") =>
        new("gateway", method == "none" ? null : "gateway-secret", method, RedirectUri);

    [Fact]
    public async Task FullFlow_IssuesTokens_RotatesRefreshTokens_AndRevokesFamilyOnReuse()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        using var client = Client();

        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint, "alice", "mcp:read offline_access", Resource);
        Assert.Equal(authorization.State, authorization.Callback["state"]);
        Assert.Equal(server.Issuer, authorization.Callback["iss"]);

        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier, Resource);
        Assert.True(tokens.IsSuccess, tokens.Json.ToString());
        Assert.Equal("Bearer", tokens.String("token_type"));
        Assert.Equal(3600, tokens.Json.GetProperty("expires_in").GetInt32());
        Assert.Equal("mcp:read offline_access", tokens.String("scope"));
        Assert.True(server.IsAccessTokenValid(tokens.AccessToken, out var info));
        Assert.Equal("alice", info.Subject);
        Assert.Equal("gateway", info.ClientId);
        Assert.Equal(Resource, info.Resource);

        var firstRefreshToken = tokens.RefreshToken!;
        var refreshed = await client.RefreshAsync(server.TokenEndpoint, firstRefreshToken, Resource);
        Assert.True(refreshed.IsSuccess, refreshed.Json.ToString());
        Assert.NotEqual(firstRefreshToken, refreshed.RefreshToken);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.False(server.IsRefreshTokenValid(firstRefreshToken));
        Assert.True(server.IsRefreshTokenValid(refreshed.RefreshToken!));

        var reuse = await client.RefreshAsync(server.TokenEndpoint, firstRefreshToken, Resource);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.Status);
        Assert.Equal("invalid_grant", reuse.Error);
        Assert.Equal(1, server.RefreshTokenReuseCount);

        // Reuse revoked the whole family: the newest refresh token and every access token of the grant.
        var afterReuse = await client.RefreshAsync(server.TokenEndpoint, refreshed.RefreshToken!, Resource);
        Assert.Equal("invalid_grant", afterReuse.Error);
        Assert.False(server.IsAccessTokenValid(refreshed.AccessToken, out _));
        Assert.False(server.IsAccessTokenValid(tokens.AccessToken, out _));

        Assert.Equal(4, server.TokenRequestCount);
        Assert.Equal(1, server.AuthorizationCodeGrantCount);
        Assert.Equal(3, server.RefreshRequestCount);
        Assert.Equal(1, server.AuthorizeRequestCount);
        Assert.Equal(["authorize", "token", "refresh", "refresh", "refresh"], server.ReceivedResources.Select(r => r.Stage));
        Assert.All(server.ReceivedResources, r => Assert.Equal(Resource, r.Resource));
        Assert.All(server.TokenRequests, r => Assert.Equal("client_secret_basic", r.ClientAuthMethod));
        Assert.Contains(tokens.AccessToken, server.AllIssuedSecrets);
        Assert.Contains(firstRefreshToken, server.AllIssuedSecrets);
        Assert.Contains(authorization.Code, server.AllIssuedSecrets);
    }

    [Fact]
    public async Task AuthorizationCode_IsSingleUse_AndReplayRevokesItsTokens()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        using var client = Client();
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);

        var first = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);
        var replay = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        Assert.True(first.IsSuccess);
        Assert.Equal("invalid_grant", replay.Error);
        Assert.False(server.IsAccessTokenValid(first.AccessToken, out _));
    }

    [Fact]
    public async Task TokenRequest_WithWrongPkceVerifier_IsInvalidGrant()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        using var client = Client();
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);

        var result = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, OAuthTestClient.CreatePkce().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("invalid_grant", result.Error);
    }

    [Fact]
    public async Task TokenRequest_WithAuthMethodOtherThanRegistered_IsInvalidClient()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient("client_secret_basic"));
        using var browser = new TestBrowser();
        using var client = Client("client_secret_basic");
        using var postClient = Client("client_secret_post");
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);

        var result = await postClient.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("invalid_client", result.Error);
    }

    [Fact]
    public async Task AuthorizeRequest_WithoutCodeChallenge_RedirectsWithInvalidRequest()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        var url = $"{server.AuthorizationEndpoint}?response_type=code&client_id=gateway&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=s1";

        var callback = OAuthTestClient.ParseQuery(await browser.FollowToAsync(url, new Uri(RedirectUri)));

        Assert.Equal("invalid_request", callback["error"]);
        Assert.Equal("s1", callback["state"]);
        Assert.False(callback.ContainsKey("code"));
    }

    [Fact]
    public async Task AccessToken_ExpiresWithFakeTimeProvider_AndExpiresInCanBeAString()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = WithClient("none");
        options.TimeProvider = time;
        options.ExpiresInAsString = true;
        options.AccessTokenLifetime = TimeSpan.FromMinutes(5);
        await using var server = await TestAuthorizationServer.StartAsync(options);
        using var browser = new TestBrowser();
        using var client = Client("none");
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);

        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        Assert.Equal(JsonValueKind.String, tokens.Json.GetProperty("expires_in").ValueKind);
        Assert.Equal("300", tokens.String("expires_in"));
        Assert.True(server.IsAccessTokenValid(tokens.AccessToken, out var info));
        Assert.Equal(time.GetUtcNow().AddMinutes(5), info.ExpiresAt);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(server.IsAccessTokenValid(tokens.AccessToken, out _));
        Assert.True(server.IsRefreshTokenValid(tokens.RefreshToken!));
    }

    [Fact]
    public async Task RefreshWithoutRotation_KeepsTheRefreshTokenAndOmitsIt()
    {
        var options = WithClient();
        options.RotateRefreshTokens = false;
        await using var server = await TestAuthorizationServer.StartAsync(options);
        using var browser = new TestBrowser();
        using var client = Client();
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        var first = await client.RefreshAsync(server.TokenEndpoint, tokens.RefreshToken!);
        var second = await client.RefreshAsync(server.TokenEndpoint, tokens.RefreshToken!);

        Assert.True(first.IsSuccess);
        Assert.True(second.IsSuccess);
        Assert.Null(first.RefreshToken);
        Assert.Equal(0, server.RefreshTokenReuseCount);
    }

    [Fact]
    public async Task Revocation_OfRefreshToken_InvalidatesTheGrant()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        using var client = Client();
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        var revoke = await client.RevokeAsync(server.RevocationEndpoint, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal(1, server.RevocationCount);
        Assert.False(server.IsRefreshTokenValid(tokens.RefreshToken!));
        Assert.False(server.IsAccessTokenValid(tokens.AccessToken, out _));
        Assert.Equal("invalid_grant", (await client.RefreshAsync(server.TokenEndpoint, tokens.RefreshToken!)).Error);
    }

    [Fact]
    public async Task ConcurrentRefreshes_HeldAtTheGate_OneWinsAndTheOtherIsReuse()
    {
        await using var server = await TestAuthorizationServer.StartAsync(WithClient());
        using var browser = new TestBrowser();
        using var client = Client();
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);

        server.TokenRequestGate.Close();
        var first = client.RefreshAsync(server.TokenEndpoint, tokens.RefreshToken!);
        var second = client.RefreshAsync(server.TokenEndpoint, tokens.RefreshToken!);
        await server.TokenRequestGate.WaitForWaitersAsync(2).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.TokenRequestGate.WaitingCount);
        Assert.False(first.IsCompleted || second.IsCompleted);
        server.TokenRequestGate.Open();
        var results = await Task.WhenAll(first, second);

        Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => r.Error == "invalid_grant");
        Assert.Equal(1, server.RefreshTokenReuseCount);
    }
}
