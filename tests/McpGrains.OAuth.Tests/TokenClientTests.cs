using System.Text;
using McpGrains.OAuth.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class TokenClientTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private const string Resource = "https://mcp.example.com/mcp";
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public TokenClientTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private TokenClient Client => _services.GetRequiredService<TokenClient>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task ExchangeCodeAsync_ClientSecretBasic_SendsBasicHeaderAndResource()
    {
        MapTokenSuccess();

        var result = await Client.ExchangeCodeAsync(Context("client_secret_basic", "c:id", "s e/cret"), "the-code", "the-verifier", "https://gw.example.com/cb", CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal("at-1", result.AccessToken);
        Assert.Equal("rt-1", result.RefreshToken);
        Assert.Equal(TimeSpan.FromSeconds(3600), result.ExpiresIn);
        Assert.Equal("files:read", result.Scope);

        var request = Assert.Single(_server.Requests);
        var expectedBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes("c%3Aid:s+e%2Fcret"));
        Assert.Equal("Basic " + expectedBasic, request.Header("Authorization"));
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("authorization_code", form["grant_type"]);
        Assert.Equal("the-code", form["code"]);
        Assert.Equal("the-verifier", form["code_verifier"]);
        Assert.Equal("https://gw.example.com/cb", form["redirect_uri"]);
        Assert.Equal(Resource, form["resource"]);
        Assert.False(form.ContainsKey("client_secret"));
        Assert.False(form.ContainsKey("client_id"));
    }

    [Fact]
    public async Task ExchangeCodeAsync_ClientSecretPost_SendsCredentialsInBody()
    {
        MapTokenSuccess();

        await Client.ExchangeCodeAsync(Context("client_secret_post", "cid", "sec"), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("cid", form["client_id"]);
        Assert.Equal("sec", form["client_secret"]);
    }

    [Fact]
    public async Task ExchangeCodeAsync_None_SendsClientIdOnly()
    {
        MapTokenSuccess();

        await Client.ExchangeCodeAsync(Context("none", "public-client", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("public-client", form["client_id"]);
        Assert.False(form.ContainsKey("client_secret"));
    }

    [Fact]
    public async Task ExchangeCodeAsync_NullResource_OmitsIt()
    {
        MapTokenSuccess();

        await Client.ExchangeCodeAsync(Context("none", "p", null) with { Resource = null }, "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.False(QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body).ContainsKey("resource"));
    }

    [Fact]
    public async Task RefreshAsync_SendsRefreshTokenScopeAndResource()
    {
        MapTokenSuccess();

        var result = await Client.RefreshAsync(Context("client_secret_post", "cid", "sec"), "rt-old", ["a", "b"], CancellationToken.None);

        Assert.True(result.IsSuccess);
        var form = QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body);
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal("rt-old", form["refresh_token"]);
        Assert.Equal("a b", form["scope"]);
        Assert.Equal(Resource, form["resource"]);
    }

    [Fact]
    public async Task RefreshAsync_ExpiresInAsString_IsParsed()
    {
        _server.MapJson("POST /token", """{"access_token":"at","token_type":"bearer","expires_in":"3599"}""");

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(TimeSpan.FromSeconds(3599), result.ExpiresIn);
        Assert.Null(result.RefreshToken);
        Assert.False(QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body).ContainsKey("scope"));
    }

    [Fact]
    public async Task RefreshAsync_InvalidGrant_ReturnsErrorResult()
    {
        _server.MapJson("POST /token", """{"error":"invalid_grant","error_description":"refresh token revoked"}""", statusCode: 400);

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.True(result.IsInvalidGrant);
        Assert.Equal("refresh token revoked", result.ErrorDescription);
        Assert.Equal(400, result.HttpStatusCode);
    }

    [Theory]
    [InlineData(200, """{"token_type":"Bearer"}""")]
    [InlineData(200, """{"access_token":"at","token_type":"mac"}""")]
    [InlineData(200, """<html>oops</html>""")]
    [InlineData(500, """<html>oops</html>""")]
    [InlineData(502, """{}""")]
    public async Task ExchangeCodeAsync_MalformedResponses_InvalidResponse(int status, string body)
    {
        _server.Map("POST /token", async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });

        var result = await Client.ExchangeCodeAsync(Context("none", "p", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(TokenResult.InvalidResponse, result.Error);
        Assert.Equal(status, result.HttpStatusCode);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ErrorTextWithLineBreaks_IsKeptToABoundedCodeAndDescription()
    {
        _server.MapJson("POST /token", """{"error":"invalid_grant\r\nFORGED log line","error_description":"a\r\nFORGED\u001b[31m""" + new string('x', 5000) + "\"}", statusCode: 400);

        var result = await Client.ExchangeCodeAsync(Context("none", "p", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.Equal(TokenResult.InvalidResponse, result.Error);
        Assert.Equal(OAuthErrorText.MaxDescriptionLength, result.ErrorDescription!.Length);
        Assert.DoesNotContain(result.ErrorDescription, char.IsControl);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ErrorInSuccessBody_IsAnError()
    {
        _server.MapJson("POST /token", """{"error":"bad_verification_code"}""");

        var result = await Client.ExchangeCodeAsync(Context("none", "p", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal("bad_verification_code", result.Error);
    }

    [Fact]
    public async Task ExchangeCodeAsync_Timeout_NetworkErrorNotException()
    {
        _server.Map("POST /token", async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        await using var services = OAuthTestServices.Create(timeout: TimeSpan.FromMilliseconds(200));

        var result = await services.GetRequiredService<TokenClient>().ExchangeCodeAsync(Context("none", "p", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(TokenResult.NetworkError, result.Error);
    }

    [Fact]
    public async Task ExchangeCodeAsync_RefusedDestination_NetworkErrorNotException()
    {
        await using var services = OAuthTestServices.Create(allowInsecureLoopback: false);

        var result = await services.GetRequiredService<TokenClient>().ExchangeCodeAsync(Context("none", "p", null), "c", "v", "https://gw.example.com/cb", CancellationToken.None);

        Assert.Equal(TokenResult.NetworkError, result.Error);
        Assert.Contains("refused", result.ErrorDescription, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task RevokeAsync_PostsTokenAndHint_TrueOn200()
    {
        _server.MapStatus("POST /revoke", 200);

        var revoked = await Client.RevokeAsync(Context("client_secret_post", "cid", "sec"), _server.Url("/revoke"), "rt-1", "refresh_token", CancellationToken.None);

        Assert.True(revoked);
        var form = QueryHelpers.ParseQuery(Assert.Single(_server.Requests).Body);
        Assert.Equal("rt-1", form["token"]);
        Assert.Equal("refresh_token", form["token_type_hint"]);
        Assert.Equal("cid", form["client_id"]);
    }

    [Fact]
    public async Task RevokeAsync_ServerError_FalseWithoutThrowing()
    {
        _server.MapStatus("POST /revoke", 503);

        Assert.False(await Client.RevokeAsync(Context("none", "p", null), _server.Url("/revoke"), "t", "access_token", CancellationToken.None));
    }

    [Fact]
    public void ToString_RedactsSecretsAndTokens()
    {
        var context = Context("client_secret_post", "cid", "top-secret");
        var result = new TokenResult { IsSuccess = true, AccessToken = "at-secret", RefreshToken = "rt-secret", TokenType = "Bearer" };

        Assert.DoesNotContain("top-secret", context.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("at-secret", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("rt-secret", result.ToString(), StringComparison.Ordinal);
    }

    private TokenEndpointContext Context(string method, string clientId, string? secret) =>
        new(_server.Url("/token"), clientId, secret, method, Resource);

    private void MapTokenSuccess() => _server.MapJson("POST /token", """
        {"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1","scope":"files:read"}
        """);
}
