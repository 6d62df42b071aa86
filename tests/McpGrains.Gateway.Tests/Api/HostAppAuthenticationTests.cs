using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;

namespace McpGrains.Gateway.Tests.Api;

public sealed class HostAppAuthenticationTests
{
    [Theory]
    [InlineData(null, "A host app key is required")]
    [InlineData("Bearer not-a-configured-key-000000", "The host app key is not valid")]
    [InlineData("Bearer ", "The host app key is not valid")]
    [InlineData("Basic YWxhZGRpbjpvcGVuc2VzYW1l", "The host app key is not valid")]
    [InlineData("Bearer app-one-key-0123456789abcdeX", "The host app key is not valid")]
    public async Task Api_without_a_valid_key_is_401_problem_without_bearer_challenge(string? authorization, string expectedTitle)
    {
        await using var host = await GatewayTestHost.StartAsync();
        var client = host.CreateClient(hostAppKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/u1/connections/alpha");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal(expectedTitle, problem.GetProperty("title").GetString());
        Assert.DoesNotContain("app-one-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Unauthenticated_authorize_with_malformed_body_is_401_not_400()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var client = host.CreateClient(hostAppKey: null);

        using var response = await client.PostAsync("/api/v1/users/u1/connections/alpha/authorize", new StringContent("{not json", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Bearer_scheme_name_is_case_insensitive()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var client = host.CreateClient(hostAppKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/servers");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + TestConfiguration.AppTwoKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Two_host_apps_with_the_same_user_id_reach_different_session_grains()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var one = await host.CreateClient(TestConfiguration.AppOneKey).GetAsync("/api/v1/users/same-user/connections/alpha");
        using var two = await host.CreateClient(TestConfiguration.AppTwoKey).GetAsync("/api/v1/users/same-user/connections/alpha");

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        Assert.Equal(
            [
                new McpSessionKey(TestConfiguration.AppOne, "same-user", "alpha").Format(),
                new McpSessionKey(TestConfiguration.AppTwo, "same-user", "alpha").Format(),
            ],
            host.Grains.RequestedKeys);
    }
}
