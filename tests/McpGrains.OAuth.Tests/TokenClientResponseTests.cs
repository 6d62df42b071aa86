using System.Net;
using System.Text;
using McpGrains.OAuth.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>
/// What the token endpoint answers, read strictly whatever library sends the request: size limit, bodies that are not
/// JSON, members of the wrong type, absent or string <c>expires_in</c>; and the RFC 6749 client_secret_basic encoding.
/// </summary>
public sealed class TokenClientResponseTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private const int MaxResponseBytes = 256 * 1024;
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public TokenClientResponseTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private TokenClient Client => _services.GetRequiredService<TokenClient>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OversizedTokenResponse_IsRefused_WhetherOrNotItsLengthIsDeclared(bool declareLength)
    {
        var body = Encoding.UTF8.GetBytes("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"pad\":\"" + new string('a', MaxResponseBytes) + "\"}");
        _server.Map("POST /token", async context =>
        {
            context.Response.ContentType = "application/json";
            if (declareLength)
            {
                context.Response.ContentLength = body.Length;
            }

            try
            {
                for (var offset = 0; offset < body.Length; offset += 8192)
                {
                    await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(8192, body.Length - offset)), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The client stopped reading at the limit.
            }
        });

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Null(result.AccessToken);
        Assert.Equal(TokenResult.InvalidResponse, result.Error);
        Assert.Contains("limit", result.ErrorDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "text/plain", "bad request")]
    [InlineData(401, "text/html", "<html>unauthorized</html>")]
    [InlineData(400, "application/json", "")]
    [InlineData(503, "application/json", "{\"error\":")]
    public async Task ErrorBodiesThatAreNotJson_AreInvalidResponses_WithTheirStatus(int status, string contentType, string body)
    {
        MapBody(status, contentType, body);

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(TokenResult.InvalidResponse, result.Error);
        Assert.Equal(status, result.HttpStatusCode);
    }

    [Fact]
    public async Task OAuthErrorSentAsTextPlain_IsStillReadAsTheOAuthError()
    {
        MapBody(401, "text/plain", """{"error":"invalid_client","error_description":"who are you"}""");

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.Equal("invalid_client", result.Error);
        Assert.Equal("who are you", result.ErrorDescription);
        Assert.Equal(401, result.HttpStatusCode);
    }

    [Theory]
    [InlineData("""{"access_token":42,"token_type":"Bearer"}""")]
    [InlineData("""{"access_token":{"value":"at"},"token_type":"Bearer"}""")]
    [InlineData("""{"access_token":"at","token_type":"Bearer","refresh_token":7}""")]
    [InlineData("""{"access_token":"at","token_type":true}""")]
    public async Task MembersOfTheWrongType_AreInvalidResponses_NotTextOfTheirJson(string body)
    {
        MapBody(200, "application/json", body);

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(TokenResult.InvalidResponse, result.Error);
    }

    [Theory]
    [InlineData("""{"access_token":"at","token_type":"Bearer"}""", null)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":"120"}""", 120)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":0}""", 0)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":-5}""", null)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":99999999999}""", null)]
    [InlineData("""{"access_token":"at","token_type":"Bearer","expires_in":"soon"}""", null)]
    public async Task ExpiresIn_AbsentOrUnusable_IsUnknown_NotZero(string body, int? expectedSeconds)
    {
        MapBody(200, "application/json", body);

        var result = await Client.RefreshAsync(Context("none", "p", null), "rt", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(expectedSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, result.ExpiresIn);
    }

    [Fact]
    public async Task ClientSecretBasic_FormEncodesIdAndSecret_PerRfc6749Section2_3_1()
    {
        MapBody(200, "application/json", """{"access_token":"at","token_type":"Bearer"}""");

        await Client.RefreshAsync(Context("client_secret_basic", "c:id", "s e/cret"), "rt", null, CancellationToken.None);

        // application/x-www-form-urlencoded: a space is '+', reserved characters are percent-encoded.
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("c%3Aid:s+e%2Fcret"));
        Assert.Equal("Basic " + expected, Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("client id", "secret")]
    [InlineData("a+b:c%d&e=f", "p@ss:w+rd %41")]
    [InlineData("klïent/ü", "sëcret?#")]
    public async Task ClientSecretBasic_FormDecodesBackToTheCredentials(string clientId, string secret)
    {
        MapBody(200, "application/json", """{"access_token":"at","token_type":"Bearer"}""");

        await Client.RefreshAsync(Context("client_secret_basic", clientId, secret), "rt", null, CancellationToken.None);

        var header = Assert.Single(_server.Requests).Header("Authorization")!;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        Assert.Equal(clientId, WebUtility.UrlDecode(decoded[..separator]));
        Assert.Equal(secret, WebUtility.UrlDecode(decoded[(separator + 1)..]));
    }

    private void MapBody(int status, string contentType, string body) => _server.Map("POST /token", async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    });

    private TokenEndpointContext Context(string method, string clientId, string? secret) =>
        new(_server.Url("/token"), clientId, secret, method, "https://mcp.example.com/mcp");
}
