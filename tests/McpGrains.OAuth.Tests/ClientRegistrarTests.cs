using System.Text.Json;
using McpGrains.OAuth.Tests.Infrastructure;
using McpGrains.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class ClientRegistrarTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public ClientRegistrarTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private ClientRegistrar Registrar => _services.GetRequiredService<ClientRegistrar>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task RegisterAsync_PostsWebClientRequest_AndReturnsCredentials()
    {
        _server.MapJson("POST /register", """
            {"client_id":"c-123","client_secret":"s3cr3t","client_secret_expires_at":0,"token_endpoint_auth_method":"client_secret_basic"}
            """, statusCode: 201);

        var credentials = await Registrar.RegisterAsync(
            Metadata(["client_secret_basic", "client_secret_post"]),
            new ClientRegistrationRequest("McpGrains Gateway", "https://gw.example.com/oauth/callback", "files:read offline_access"),
            CancellationToken.None);

        Assert.Equal("c-123", credentials.ClientId);
        Assert.Equal("s3cr3t", credentials.ClientSecret);
        Assert.Equal("client_secret_basic", credentials.TokenEndpointAuthMethod);
        Assert.Null(credentials.ClientSecretExpiresAt);

        var request = Assert.Single(_server.Requests);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("web", root.GetProperty("application_type").GetString());
        Assert.Equal("McpGrains Gateway", root.GetProperty("client_name").GetString());
        Assert.Equal(["https://gw.example.com/oauth/callback"], root.GetProperty("redirect_uris").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["authorization_code", "refresh_token"], root.GetProperty("grant_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["code"], root.GetProperty("response_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("client_secret_basic", root.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("files:read offline_access", root.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData(null, "client_secret_basic")]
    [InlineData(new[] { "client_secret_post", "client_secret_basic" }, "client_secret_basic")]
    [InlineData(new[] { "private_key_jwt", "client_secret_post" }, "client_secret_post")]
    [InlineData(new[] { "none" }, "none")]
    public async Task RegisterAsync_ChoosesAuthMethodFromMetadata(string[]? supported, string expected)
    {
        _server.MapJson("POST /register", """{"client_id":"c-1","client_secret":"x"}""", statusCode: 201);

        var credentials = await Registrar.RegisterAsync(Metadata(supported), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(expected, body.RootElement.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(expected, credentials.TokenEndpointAuthMethod);
        Assert.False(body.RootElement.TryGetProperty("scope", out _));
    }

    [Fact]
    public async Task RegisterAsync_PublicClient_HasNoSecret_AndExpiryIsRead()
    {
        _server.MapJson("POST /register", """{"client_id":"pub","token_endpoint_auth_method":"none","client_secret_expires_at":1893456000}""", statusCode: 201);

        var credentials = await Registrar.RegisterAsync(Metadata(["none"]), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None);

        Assert.Null(credentials.ClientSecret);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), credentials.ClientSecretExpiresAt);
    }

    [Fact]
    public async Task RegisterAsync_NoRegistrationEndpoint_RegistrationUnavailableNamingConfigKeys()
    {
        var metadata = Metadata(null) with { RegistrationEndpoint = null };

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(metadata, new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.RegistrationUnavailable, ex.ErrorCode);
        Assert.Contains("McpGrains:Servers:<id>:OAuth:ClientId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_ServerRejects_RegistrationFailedWithErrorCode()
    {
        _server.MapJson("POST /register", """{"error":"invalid_redirect_uri","error_description":"nope"}""", statusCode: 400);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.RegistrationFailed, ex.ErrorCode);
        Assert.Contains("400", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_redirect_uri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_ResponseWithoutClientId_RegistrationFailed()
    {
        _server.MapJson("POST /register", """{"client_secret":"x"}""", statusCode: 201);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.RegistrationFailed, ex.ErrorCode);
    }

    [Fact]
    public async Task RegisterAsync_RequestCarriesOnlyOurMembers()
    {
        _server.MapJson("POST /register", """{"client_id":"c-1","client_secret":"x"}""", statusCode: 201);

        await Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb", "a"), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(
            ["application_type", "client_name", "grant_types", "redirect_uris", "response_types", "scope", "token_endpoint_auth_method"],
            body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Null(Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("4102444800")]
    [InlineData("\"4102444800\"")]
    public async Task RegisterAsync_SecretExpiryPast2038_IsRead(string expiresAt)
    {
        _server.MapJson("POST /register", $$"""{"client_id":"c-1","client_secret":"x","client_secret_expires_at":{{expiresAt}}}""", statusCode: 201);

        var credentials = await Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4102444800), credentials.ClientSecretExpiresAt);
    }

    [Theory]
    [InlineData(201, "<html>created</html>", "registration_failed")]
    [InlineData(201, "{\"client_id\":42}", "registration_failed")]
    [InlineData(400, "<html>bad</html>", "registration_failed")]
    [InlineData(503, "", "upstream_unavailable")]
    public async Task RegisterAsync_UnusableAnswers_MapToTheirErrorCodes(int status, string body, string expected)
    {
        _server.Map("POST /register", async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(expected, ex.ErrorCode);
    }

    [Fact]
    public async Task RegisterAsync_OversizedResponse_RegistrationFailed()
    {
        _server.MapJson("POST /register", "{\"client_id\":\"c\",\"pad\":\"" + new string('a', 300 * 1024) + "\"}", statusCode: 201);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.RegistrationFailed, ex.ErrorCode);
        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_Unreachable_UpstreamUnavailable_AndRefused_RegistrationFailed()
    {
        var unreachable = Metadata(null) with { RegistrationEndpoint = $"http://127.0.0.1:{FreePorts.Next()}/register" };
        await using var guarded = OAuthTestServices.Create(allowInsecureLoopback: false);

        var down = await Assert.ThrowsAsync<OAuthClientException>(() => Registrar.RegisterAsync(unreachable, new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));
        var refused = await Assert.ThrowsAsync<OAuthClientException>(() => guarded.GetRequiredService<ClientRegistrar>().RegisterAsync(Metadata(null), new ClientRegistrationRequest("n", "https://gw.example.com/cb"), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, down.ErrorCode);
        Assert.Equal(SessionErrorCodes.RegistrationFailed, refused.ErrorCode);
        Assert.Contains("refused", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void ClientCredentials_ToString_RedactsSecret()
    {
        var credentials = new ClientCredentials("id", "very-secret", "client_secret_post", null);

        Assert.DoesNotContain("very-secret", credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("id", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TokenEndpointAuthMethods_Choose_NoneOfOurs_ReturnsNull()
    {
        Assert.Null(TokenEndpointAuthMethods.Choose(["private_key_jwt", "tls_client_auth"]));
    }

    private AuthorizationServerMetadata Metadata(IReadOnlyList<string>? authMethods) => new()
    {
        Issuer = _server.Url(string.Empty),
        AuthorizationEndpoint = _server.Url("/authorize"),
        TokenEndpoint = _server.Url("/token"),
        RegistrationEndpoint = _server.Url("/register"),
        TokenEndpointAuthMethodsSupported = authMethods,
        CodeChallengeMethodsSupported = ["S256"],
    };
}
