using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;

namespace McpGrains.Gateway.Tests.Api;

public sealed class ConnectionEndpointsTests
{
    private static readonly McpSessionKey AlphaKey = new(TestConfiguration.AppOne, "u1", "alpha");

    [Fact]
    public async Task GetConnection_maps_every_field_of_the_grain_answer()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var expires = new DateTimeOffset(2026, 1, 15, 13, 0, 0, TimeSpan.Zero);
        host.Grains.Session(AlphaKey).Connection = new ConnectionInfo(
            "alpha", ConnectionStatus.ReauthorizationRequired, ["read", "write"], expires, new SessionError("invalid_grant", "Sign in again."), expires.AddHours(-1));

        var body = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/users/u1/connections/alpha");

        Assert.Equal("alpha", body.GetProperty("serverId").GetString());
        Assert.Equal("reauthorization_required", body.GetProperty("status").GetString());
        Assert.Equal(["read", "write"], body.GetProperty("grantedScopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expires, body.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("invalid_grant", body.GetProperty("lastError").GetProperty("code").GetString());
        Assert.Equal("Sign in again.", body.GetProperty("lastError").GetProperty("message").GetString());
        Assert.Equal(expires.AddHours(-1), body.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetConnection_of_a_fresh_session_has_null_last_error()
    {
        await using var host = await GatewayTestHost.StartAsync();

        var body = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/users/u1/connections/alpha");

        Assert.Equal("not_connected", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastError").ValueKind);
        Assert.Equal(0, body.GetProperty("grantedScopes").GetArrayLength());
    }

    [Fact]
    public async Task ListConnections_asks_every_configured_server_in_id_order()
    {
        await using var host = await GatewayTestHost.StartAsync();

        var body = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/users/u1/connections");

        var ids = body.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("serverId").GetString()!).ToArray();
        Assert.Equal(["alpha", "beta"], ids);
        Assert.Equal(2, host.Grains.RequestedKeys.Count);
    }

    [Theory]
    [InlineData("GET", "/api/v1/users/u1/connections/unknown")]
    [InlineData("DELETE", "/api/v1/users/u1/connections/unknown")]
    [InlineData("POST", "/api/v1/users/u1/connections/unknown/authorize")]
    public async Task Unknown_server_is_404_problem_and_reaches_no_grain(string method, string path)
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "unknown_server");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Theory]
    [InlineData("/api/v1/users/%20%20/connections/alpha", "invalid_user_id")]
    [InlineData("/api/v1/users/%07bell/connections/alpha", "invalid_user_id")]
    [InlineData("/api/v1/users/%20/connections", "invalid_user_id")]
    [InlineData("/api/v1/users/u1/connections/-bad", "invalid_server_id")]
    [InlineData("/api/v1/users/u1/connections/bad%21id", "invalid_server_id")]
    public async Task Malformed_ids_are_400_problem_and_reach_no_grain(string path, string code)
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Authorize_without_body_returns_the_authorization_url()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().PostAsync("/api/v1/users/u1/connections/alpha/authorize", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("authorization_required", body.GetProperty("status").GetString());
        Assert.Equal("https://as.example/authorize?state=sealed", body.GetProperty("authorizationUrl").GetString());
        Assert.Null(Assert.Single(host.Grains.Session(AlphaKey).AuthorizeRequests).ReturnUrl);
    }

    [Fact]
    public async Task Authorize_passes_an_allowed_return_url_to_the_grain()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().PostAsJsonAsync(
            "/api/v1/users/u1/connections/alpha/authorize", new { returnUrl = "https://chat.example/settings?tab=mcp" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://chat.example/settings?tab=mcp", Assert.Single(host.Grains.Session(AlphaKey).AuthorizeRequests).ReturnUrl);
    }

    [Fact]
    public async Task Authorize_when_connected_returns_only_the_status()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(AlphaKey).AuthorizeResult = AuthorizeResult.Connected;

        using var response = await host.CreateClient().PostAsync("/api/v1/users/u1/connections/alpha/authorize", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"connected"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("https://chat.example.evil.example/")]
    [InlineData("http://chat.example/")]
    [InlineData("/relative")]
    [InlineData("")]
    public async Task Authorize_with_a_return_url_off_the_allow_list_is_400_and_reaches_no_grain(string returnUrl)
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().PostAsJsonAsync("/api/v1/users/u1/connections/alpha/authorize", new { returnUrl });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "return_url_not_allowed");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("[1,2]", "application/json")]
    [InlineData("{\"returnUrl\": 42}", "application/json")]
    public async Task Authorize_with_a_malformed_body_is_400_and_reaches_no_grain(string body, string contentType)
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().PostAsync(
            "/api/v1/users/u1/connections/alpha/authorize", new StringContent(body, MediaTypeHeaderValue.Parse(contentType)));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_body");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Authorize_with_a_non_json_body_is_415_problem()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().PostAsync(
            "/api/v1/users/u1/connections/alpha/authorize", new StringContent("returnUrl=https://chat.example/", MediaTypeHeaderValue.Parse("text/plain")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Authorize_with_a_body_but_no_content_type_is_415_problem()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var content = new ByteArrayContent("{}"u8.ToArray());

        using var response = await host.CreateClient().PostAsync("/api/v1/users/u1/connections/alpha/authorize", content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Theory]
    [InlineData(SessionErrorCodes.UpstreamUnavailable, HttpStatusCode.BadGateway)]
    [InlineData(SessionErrorCodes.DiscoveryFailed, HttpStatusCode.BadGateway)]
    [InlineData(SessionErrorCodes.RegistrationFailed, HttpStatusCode.BadGateway)]
    [InlineData(SessionErrorCodes.PkceNotSupported, HttpStatusCode.BadGateway)]
    [InlineData("something_else", HttpStatusCode.InternalServerError)]
    public async Task Authorize_failure_is_a_problem_with_the_grain_error_code(string code, HttpStatusCode expected)
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(AlphaKey).AuthorizeResult = AuthorizeResult.Failed(new SessionError(code, "It did not work."));

        using var response = await host.CreateClient().PostAsync("/api/v1/users/u1/connections/alpha/authorize", content: null);

        var problem = await AssertProblemAsync(response, expected, code);
        Assert.Equal("It did not work.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Disconnect_is_204_and_calls_the_grain()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient().DeleteAsync("/api/v1/users/u1/connections/alpha");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, host.Grains.Session(AlphaKey).DisconnectCalls);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
