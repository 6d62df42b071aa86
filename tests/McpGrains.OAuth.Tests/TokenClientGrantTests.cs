using System.Security.Cryptography;
using System.Text.Json;
using McpGrains.OAuth.Tests.Infrastructure;
using McpGrains.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>The grants without a browser, client authentication by private key, DPoP proofs and revocation, as sent on the wire.</summary>
public sealed class TokenClientGrantTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private const string Resource = "https://mcp.example.com/mcp";
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public TokenClientGrantTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private TokenClient Client => _services.GetRequiredService<TokenClient>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task ClientCredentialsAsync_SendsGrantScopeAndResource()
    {
        MapBearerToken();

        var result = await Client.ClientCredentialsAsync(Context("client_secret_post", "cid", "sec"), ["a", "b"], CancellationToken.None);

        Assert.True(result.IsSuccess);
        var form = QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("a b", form["scope"]);
        Assert.Equal(Resource, form["resource"]);
        Assert.Equal("cid", form["client_id"]);
        Assert.Equal("sec", form["client_secret"]);
    }

    [Fact]
    public async Task JwtBearerAsync_SendsAssertion_WithoutScopeWhenNoneAsked()
    {
        MapBearerToken();

        var result = await Client.JwtBearerAsync(Context("none", "cid", null), "the.assertion.jwt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        var form = QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body);
        Assert.Equal(TokenClient.JwtBearerGrantType, form["grant_type"]);
        Assert.Equal("the.assertion.jwt", form["assertion"]);
        Assert.Equal(Resource, form["resource"]);
        Assert.Equal("cid", form["client_id"]);
        Assert.False(form.ContainsKey("scope"));
    }

    [Fact]
    public async Task ExchangeIdentityAssertionAsync_SendsTokenExchange_AndReturnsTheGrant()
    {
        _server.MapJson("POST /token", $$"""{"access_token":"id-jag","issued_token_type":"{{TokenClient.IdJagTokenType}}","token_type":"N_A"}""");

        var result = await Client.ExchangeIdentityAssertionAsync(
            Context("client_secret_basic", "idp-client", "idp-secret") with { Resource = null }, "the-id-token", "https://as.example.com", Resource, ["mcp:read"], CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal("id-jag", result.AccessToken);
        Assert.Equal(TokenClient.IdJagTokenType, result.TokenType);
        var request = Assert.Single(_server.Requests);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal(TokenClient.TokenExchangeGrantType, form["grant_type"]);
        Assert.Equal(TokenClient.IdJagTokenType, form["requested_token_type"]);
        Assert.Equal("https://as.example.com", form["audience"]);
        Assert.Equal(Resource, form["resource"]);
        Assert.Equal("the-id-token", form["subject_token"]);
        Assert.Equal(TokenClient.IdTokenType, form["subject_token_type"]);
        Assert.Equal("mcp:read", form["scope"]);
        Assert.StartsWith("Basic ", request.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeIdentityAssertionAsync_AnotherIssuedTokenType_InvalidResponse()
    {
        _server.MapJson("POST /token", """{"access_token":"at","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer"}""");

        var result = await Client.ExchangeIdentityAssertionAsync(Context("none", "c", null), "the-id-token", "https://as.example.com", Resource, null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(TokenResult.InvalidResponse, result.Error);
    }

    [Fact]
    public async Task PrivateKeyJwt_SendsASignedAssertionForTheIssuer()
    {
        MapBearerToken();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var context = Context(TokenEndpointAuthMethods.PrivateKeyJwt, "jwt-client", null) with { Issuer = "https://as.example.com", PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() };

        var result = await Client.RefreshAsync(context, "rt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        var request = Assert.Single(_server.Requests);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("jwt-client", form["client_id"]);
        Assert.Equal(ClientAssertion.AssertionType, form["client_assertion_type"]);
        Assert.False(form.ContainsKey("client_secret"));
        using var claims = JwtPart(form["client_assertion"]!, 1);
        Assert.Equal("jwt-client", claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal("jwt-client", claims.RootElement.GetProperty("sub").GetString());
        Assert.Equal("https://as.example.com", claims.RootElement.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_WithoutKey_IsAProgrammingError()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.RefreshAsync(Context(TokenEndpointAuthMethods.PrivateKeyJwt, "c", null), "rt", null, CancellationToken.None));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Dpop_UseDpopNonce_RetriedOnceWithTheServersNonce()
    {
        var calls = 0;
        _server.Map("POST /token", async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers[TokenClient.DpopNonceHeader] = "nonce-" + Interlocked.Increment(ref calls);
            if (calls == 1)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("""{"error":"use_dpop_nonce"}""");
                return;
            }

            await context.Response.WriteAsync("""{"access_token":"at","token_type":"DPoP","expires_in":60}""");
        });
        using var dpop = DpopKey.Create();

        var result = await Client.RefreshAsync(Context("none", "c", null) with { Dpop = dpop }, "rt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(TokenClient.DpopTokenType, result.TokenType);
        Assert.Equal(2, _server.Requests.Count);
        using var first = JwtPart(_server.Requests[0].Header(TokenClient.DpopHeader)!, 1);
        using var second = JwtPart(_server.Requests[1].Header(TokenClient.DpopHeader)!, 1);
        using var header = JwtPart(_server.Requests[1].Header(TokenClient.DpopHeader)!, 0);
        Assert.False(first.RootElement.TryGetProperty("nonce", out _));
        Assert.Equal("nonce-1", second.RootElement.GetProperty("nonce").GetString());
        Assert.Equal("POST", second.RootElement.GetProperty("htm").GetString());
        Assert.Equal(_server.Url("/token"), second.RootElement.GetProperty("htu").GetString());
        Assert.Equal("dpop+jwt", header.RootElement.GetProperty("typ").GetString());
    }

    [Fact]
    public async Task Dpop_BearerAnswerToAProofIsAccepted_AsBearer()
    {
        MapBearerToken();
        using var dpop = DpopKey.Create();

        var result = await Client.RefreshAsync(Context("none", "c", null) with { Dpop = dpop }, "rt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal("Bearer", result.TokenType);
        Assert.NotNull(Assert.Single(_server.Requests).Header(TokenClient.DpopHeader));
    }

    [Fact]
    public async Task RevokeAsync_ClientSecretBasic_AuthenticatesInTheHeader()
    {
        _server.MapStatus("POST /revoke", 200);

        var revoked = await Client.RevokeAsync(Context("client_secret_basic", "cid", "sec"), _server.Url("/revoke"), "at-1", "access_token", CancellationToken.None);

        Assert.True(revoked);
        var request = Assert.Single(_server.Requests);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.StartsWith("Basic ", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("at-1", form["token"]);
        Assert.False(form.ContainsKey("client_id"));
    }

    [Fact]
    public async Task RevokeAsync_NoHint_OmitsIt_AndUnreachable_IsFalse()
    {
        _server.MapStatus("POST /revoke", 200);

        Assert.True(await Client.RevokeAsync(Context("none", "p", null), _server.Url("/revoke"), "t", string.Empty, CancellationToken.None));
        Assert.False(QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body).ContainsKey("token_type_hint"));
        Assert.False(await Client.RevokeAsync(Context("none", "p", null), "not a url", "t", "access_token", CancellationToken.None));
        Assert.False(await Client.RevokeAsync(Context("none", "p", null), $"http://127.0.0.1:{FreePorts.Next()}/revoke", "t", "access_token", CancellationToken.None));
    }

    private static JsonDocument JwtPart(string jwt, int index) => JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.Split('.')[index]));

    private TokenEndpointContext Context(string method, string clientId, string? secret) =>
        new(_server.Url("/token"), clientId, secret, method, Resource);

    private void MapBearerToken() => _server.MapJson("POST /token", """{"access_token":"at","token_type":"Bearer","expires_in":60}""");
}
