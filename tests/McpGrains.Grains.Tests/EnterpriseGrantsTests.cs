using System.Net;
using System.Net.Http.Headers;
using System.Text;
using McpGrains.Grains.Tests.Cluster;
using McpGrains.Testing;
using Orleans.Runtime;

namespace McpGrains.Grains.Tests;

/// <summary>
/// Issue 16 end to end with the project's own servers: DPoP-bound tokens (RFC 9449) that are useless without the
/// connection's key, across a silo restart; client credentials shared by every user; enterprise-managed authorization
/// with no browser.
/// </summary>
public sealed class EnterpriseGrantsTests : IClassFixture<EnterpriseGrantsClusterFixture>
{
    private const string EchoCall = """{"name":"echo","arguments":{"message":"bound"}}""";
    private readonly EnterpriseGrantsClusterFixture _fixture;

    public EnterpriseGrantsTests(EnterpriseGrantsClusterFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task DpopBoundToken_IsRefusedWithoutAProof_AndUsedWithOne_AcrossASiloRestart()
    {
        var key = await PlaceOnSecondaryAsync(EnterpriseGrantsClusterFixture.DpopServerId);
        await _fixture.ConnectAsync(key);
        Assert.Equal(1, _fixture.DpopAuthorizationServer.DpopTokenRequestCount);

        var first = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/call", EchoCall));
        Assert.True(first.Outcome == UpstreamOutcome.Success, first.Error?.Message ?? first.RpcError?.Message);
        Assert.True(_fixture.DpopServer.DpopRequestCount > 0);

        // The token alone, as a thief would hold it: refused as a Bearer token and as a DPoP token without a proof.
        var token = await _fixture.Session(key).GetAccessTokenAsync();
        Assert.True(_fixture.DpopAuthorizationServer.IsAccessTokenValid(token.AccessToken!, out var info) && info.Jkt is not null);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostInitializeAsync(new AuthenticationHeaderValue("Bearer", token.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostInitializeAsync(new AuthenticationHeaderValue("DPoP", token.AccessToken)));
        Assert.Equal(2, _fixture.DpopServer.RefusedDpopRequestCount);

        // The silo hosting the connection goes down and comes back: the key is read back from storage, the same bound
        // token still works, and nothing was refused.
        var secondary = _fixture.Cluster.SecondarySilos[0];
        await _fixture.Cluster.RestartSiloAsync(secondary);
        await _fixture.Cluster.WaitForLivenessToStabilizeAsync();
        var proofs = _fixture.DpopServer.DpopRequestCount;
        var after = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/call", EchoCall));

        Assert.True(after.Outcome == UpstreamOutcome.Success, after.Error?.Message ?? after.RpcError?.Message);
        Assert.True(_fixture.DpopServer.DpopRequestCount > proofs);
        Assert.Equal(2, _fixture.DpopServer.RefusedDpopRequestCount);
        Assert.Equal(1, _fixture.DpopAuthorizationServer.AuthorizationCodeGrantCount);
        Assert.Equal(token.AccessToken, (await _fixture.Session(key).GetAccessTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task ClientCredentialsServer_UsedByTwoUsers_MakesOneTokenRequest()
    {
        var alice = SessionClusterFixture.NewKey(EnterpriseGrantsClusterFixture.MachineServerId);
        var bob = SessionClusterFixture.NewKey(EnterpriseGrantsClusterFixture.MachineServerId);

        var results = await Task.WhenAll(
            _fixture.Session(alice).SendAsync(new UpstreamRequest("tools/call", """{"name":"whoami","arguments":{}}""")),
            _fixture.Session(bob).SendAsync(new UpstreamRequest("tools/call", """{"name":"whoami","arguments":{}}""")));

        Assert.All(results, result => Assert.True(result.Outcome == UpstreamOutcome.Success, result.Error?.Message ?? result.RpcError?.Message));
        Assert.All(results, result => Assert.Contains(EnterpriseGrantsClusterFixture.MachineClientId, result.ResultJson!, StringComparison.Ordinal));
        Assert.Equal(1, _fixture.MachineAuthorizationServer.ClientCredentialsGrantCount);
        Assert.Equal(1, _fixture.MachineAuthorizationServer.TokenRequestCount);
        Assert.Equal(0, _fixture.MachineAuthorizationServer.AuthorizeRequestCount);
        Assert.Equal(AuthorizeOutcome.Connected, (await _fixture.Session(alice).AuthorizeAsync(new AuthorizeRequest(null))).Outcome);
        Assert.Equal(1, _fixture.MachineAuthorizationServer.TokenRequestCount);
    }

    [Fact]
    public async Task EnterpriseManagedSignIn_CompletesWithoutABrowser()
    {
        var key = SessionClusterFixture.NewKey(EnterpriseGrantsClusterFixture.EnterpriseServerId);
        var idToken = _fixture.IdentityProvider.IssueIdToken("carol");

        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null) { IdentityAssertion = idToken });

        Assert.True(authorize.Outcome == AuthorizeOutcome.Connected, authorize.Error?.Message);
        Assert.Null(authorize.AuthorizationUrl);
        Assert.Equal(1, _fixture.IdentityProvider.TokenExchangeCount);
        Assert.Equal(1, _fixture.EnterpriseAuthorizationServer.JwtBearerGrantCount);
        Assert.Equal(0, _fixture.EnterpriseAuthorizationServer.AuthorizeRequestCount);
        var whoami = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/call", """{"name":"whoami","arguments":{}}"""));
        Assert.True(whoami.Outcome == UpstreamOutcome.Success, whoami.Error?.Message);
        Assert.Contains("carol", whoami.ResultJson!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterpriseManagedServer_WithoutAnAssertion_AnswersIdentityAssertionRequired_AndNoSignInLink()
    {
        var key = SessionClusterFixture.NewKey(EnterpriseGrantsClusterFixture.EnterpriseServerId);

        var authorize = await _fixture.Session(key).AuthorizeAsync(new AuthorizeRequest(null));
        var call = await _fixture.Session(key).SendAsync(new UpstreamRequest("tools/list", null));

        Assert.Equal(AuthorizeOutcome.Failed, authorize.Outcome);
        Assert.Equal(SessionErrorCodes.IdentityAssertionRequired, authorize.Error!.Code);
        Assert.Equal(UpstreamOutcome.AuthorizationRequired, call.Outcome);
        Assert.Null(call.Authorization);
        Assert.Equal(SessionErrorCodes.IdentityAssertionRequired, call.Error!.Code);
    }

    /// <summary>A new session of <paramref name="serverId"/> whose grain lives on the secondary silo (the one a test restarts).</summary>
    private async Task<McpSessionKey> PlaceOnSecondaryAsync(string serverId)
    {
        var management = _fixture.Grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = SessionClusterFixture.NewKey(serverId);
            var grain = _fixture.Session(candidate);
            await grain.GetConnectionAsync();
            if (await management.GetActivationAddress(grain) == _fixture.Cluster.SecondarySilos[0].SiloAddress)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no session grain was placed on the secondary silo in 64 tries");
    }

    private async Task<HttpStatusCode> PostInitializeAsync(AuthenticationHeaderValue authorization)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _fixture.DpopServer.McpUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"thief","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization;
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
