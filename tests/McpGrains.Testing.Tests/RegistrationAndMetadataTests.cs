using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class RegistrationAndMetadataTests
{
    private const string RedirectUri = "http://127.0.0.1:1/oauth/callback";

    [Fact]
    public async Task Metadata_ForIssuerWithPath_IsServedAtPathInsertedUrls_WithExactIssuer()
    {
        await using var server = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { IssuerPath = "/tenant1" });
        using var http = new HttpClient();
        var origin = server.BaseUri.GetLeftPart(UriPartial.Authority);

        var metadata = await http.GetFromJsonAsync<JsonElement>(origin + "/.well-known/oauth-authorization-server/tenant1");
        var openId = await http.GetFromJsonAsync<JsonElement>(origin + "/.well-known/openid-configuration/tenant1");
        var appended = await http.GetFromJsonAsync<JsonElement>(origin + "/tenant1/.well-known/openid-configuration");
        var root = await http.GetAsync(origin + "/.well-known/oauth-authorization-server");

        Assert.Equal(origin + "/tenant1", server.Issuer);
        Assert.Equal(server.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer, openId.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer, appended.GetProperty("issuer").GetString());
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(server.Issuer + "/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(server.Issuer + "/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(server.Issuer + "/register", metadata.GetProperty("registration_endpoint").GetString());
        Assert.Equal(server.Issuer + "/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Equal(server.MetadataUri.ToString(), origin + "/.well-known/oauth-authorization-server/tenant1");
    }

    [Fact]
    public async Task Metadata_WithoutPkceOrRegistration_OmitsThoseFields()
    {
        await using var server = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            CodeChallengeMethods = [],
            SupportsDynamicRegistration = false,
            AdvertiseIssParameter = false,
        });
        using var http = new HttpClient();

        var metadata = await http.GetFromJsonAsync<JsonElement>(server.MetadataUri);
        var register = await http.PostAsJsonAsync(server.RegistrationEndpoint, new { redirect_uris = new[] { RedirectUri } });

        Assert.False(metadata.TryGetProperty("code_challenge_methods_supported", out _));
        Assert.False(metadata.TryGetProperty("registration_endpoint", out _));
        Assert.False(metadata.TryGetProperty("authorization_response_iss_parameter_supported", out _));
        Assert.Equal(HttpStatusCode.NotFound, register.StatusCode);
    }

    [Fact]
    public async Task DynamicRegistration_RecordsMetadata_AndTheClientCompletesAFlowWithPostAuth()
    {
        await using var server = await TestAuthorizationServer.StartAsync();
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(server.RegistrationEndpoint, new
        {
            application_type = "web",
            client_name = "McpGrains",
            redirect_uris = new[] { RedirectUri },
            grant_types = new[] { "authorization_code", "refresh_token" },
            token_endpoint_auth_method = "client_secret_post",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var clientId = body.GetProperty("client_id").GetString()!;
        var secret = body.GetProperty("client_secret").GetString()!;
        var registered = Assert.Single(server.RegisteredClients);
        Assert.Equal(clientId, registered.ClientId);
        Assert.Equal("web", registered.ApplicationType);
        Assert.Equal("client_secret_post", registered.TokenEndpointAuthMethod);
        Assert.Equal(["authorization_code", "refresh_token"], registered.GrantTypes);
        Assert.Equal(1, server.RegistrationCount);
        Assert.Contains(secret, server.AllIssuedSecrets);

        using var browser = new TestBrowser();
        using var client = new OAuthTestClient(clientId, secret, "client_secret_post", RedirectUri);
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);
        Assert.True(tokens.IsSuccess, tokens.Json.ToString());
        Assert.Equal("client_secret_post", Assert.Single(server.TokenRequests).ClientAuthMethod);
    }

    [Fact]
    public async Task DynamicRegistration_PublicClient_GetsNoSecret_AndWithoutRefreshGrantGetsNoRefreshToken()
    {
        await using var server = await TestAuthorizationServer.StartAsync();
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(server.RegistrationEndpoint, new
        {
            redirect_uris = new[] { RedirectUri },
            token_endpoint_auth_method = "none",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(body.TryGetProperty("client_secret", out _));
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient(body.GetProperty("client_id").GetString()!, null, "none", RedirectUri);
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier);
        Assert.True(tokens.IsSuccess);
        Assert.Null(tokens.RefreshToken);
    }

    [Fact]
    public async Task DynamicRegistration_WithUnsupportedAuthMethod_IsRejected()
    {
        await using var server = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { RegisterAuthMethods = ["client_secret_basic"] });
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(server.RegistrationEndpoint, new
        {
            redirect_uris = new[] { RedirectUri },
            token_endpoint_auth_method = "none",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", body.GetProperty("error").GetString());
        Assert.Empty(server.RegisteredClients);
    }
}
