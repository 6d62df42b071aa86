using System.Text;
using System.Web;
using McpGrains.Grains.Tests.Cluster;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests;

/// <summary>The seed's other flows and the configuration variants, end to end.</summary>
public sealed class SessionGrainVariantFlowTests : IClassFixture<SessionClusterFixture>
{
    private readonly SessionClusterFixture _fixture;

    public SessionGrainVariantFlowTests(SessionClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task ThirdPartyFlow_CompletesWithoutTheClientKnowing()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.ThirdPartyServerId);

        await _fixture.ConnectAsync(key, user: "carol");

        // The browser went through the third party; the token we hold is the MCP server's own, bound to carol.
        var grant = Assert.Single(_fixture.DelegatingAuthorizationServer.DelegatedGrants);
        Assert.Equal("carol", grant.Subject);
        var token = await _fixture.Session(key).GetAccessTokenAsync();
        Assert.True(_fixture.DelegatingAuthorizationServer.IsAccessTokenValid(token.AccessToken!, out var info));
        Assert.Equal("carol", info!.Subject);
        Assert.False(_fixture.ThirdPartyAuthorizationServer.IsAccessTokenValid(token.AccessToken!, out _));
    }

    [Fact]
    public async Task PreRegisteredClient_WithAPinnedEndpoint_IsUsedWithoutRegistrationAndStringExpiresInIsAccepted()
    {
        var key = SessionClusterFixture.NewKey(SessionClusterFixture.PreRegisteredServerId);

        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        Assert.True(authorize.Outcome == AuthorizeOutcome.AuthorizationRequired, authorize.Error?.Message);
        var authorizationUrl = await _fixture.ContinueAsync(authorize.AuthorizationUrl!);
        var query = HttpUtility.ParseQueryString(authorizationUrl.Query);
        Assert.Equal(SessionClusterFixture.PreRegisteredClientId, query["client_id"]);
        Assert.Equal("mcp:read offline_access", query["scope"]);
        Assert.Equal("yes", query["pinned"]); // the configured (pinned) authorization endpoint, not the discovered one
        var callback = await _fixture.Browser.FollowToAsync(authorizationUrl.ToString(), _fixture.RedirectUri);
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);

        Assert.Equal(0, _fixture.PreRegisteredAuthorizationServer.RegistrationCount);
        Assert.Equal("client_secret_basic", _fixture.PreRegisteredAuthorizationServer.TokenRequests[^1].ClientAuthMethod);
        var connection = await _fixture.Session(key).GetConnectionAsync();
        Assert.Equal(ConnectionStatus.Connected, connection.Status);
        Assert.Equal(_fixture.Clock.GetUtcNow().AddHours(1), connection.ExpiresAt);
    }

    [Fact]
    public async Task FullFlowAndRefresh_LogNoSecret_AndStoreNoPlaintextSecret()
    {
        var key = SessionClusterFixture.NewKey();
        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        Assert.True(authorize.Outcome == AuthorizeOutcome.AuthorizationRequired, authorize.Error?.Message);
        var authorizationUrl = await _fixture.ContinueAsync(authorize.AuthorizationUrl!);
        var state = HttpUtility.ParseQueryString(authorizationUrl.Query)["state"]!;
        var callback = await _fixture.Browser.FollowToAsync(authorizationUrl.ToString(), _fixture.RedirectUri);
        Assert.True((await _fixture.DeliverCallbackAsync(callback)).Succeeded);
        _fixture.Clock.Advance(TimeSpan.FromHours(2));
        var token = await _fixture.Session(key).GetAccessTokenAsync();
        Assert.Equal(AccessTokenOutcome.Token, token.Outcome);

        var ticket = authorize.AuthorizationUrl![(authorize.AuthorizationUrl!.LastIndexOf('/') + 1)..];
        var secrets = _fixture.AuthorizationServer.AllIssuedSecrets.Append(state).Append(authorizationUrl.ToString()).Append(ticket).ToArray();
        Assert.True(secrets.Length >= 6, "expected code, tokens, client secret, verifier and state");
        Assert.NotEmpty(TestLogs.Capture.Messages);
        Assert.Null(TestLogs.Capture.FindAny(secrets));
        var stored = ProcessWideGrainStorage.Snapshot();
        Assert.NotEmpty(stored);
        foreach (var data in stored)
        {
            var text = Encoding.UTF8.GetString(data);
            Assert.DoesNotContain(secrets, secret => text.Contains(secret, StringComparison.Ordinal));
        }
    }
}
