using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Tests.Hosting;

/// <summary>The assembled host: silo, grains and gateway in one process.</summary>
public sealed class HostTests(HostTests.HostFixture fixture) : IClassFixture<HostTests.HostFixture>
{
    [Fact]
    public async Task Servers_are_listed_with_a_host_app_key()
    {
        var body = await fixture.Factory.CreateClient(TestConfiguration.AppOneKey).GetFromJsonAsync<JsonElement>("/api/v1/servers");

        Assert.Equal(["alpha", "beta"], body.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("serverId").GetString()));
    }

    [Fact]
    public async Task Missing_key_is_401_problem_without_bearer_challenge()
    {
        using var response = await fixture.Factory.CreateClient(hostAppKey: null).GetAsync("/api/v1/servers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
    }

    [Fact]
    public async Task Fresh_user_is_not_connected()
    {
        var body = await fixture.Factory.CreateClient(TestConfiguration.AppOneKey)
            .GetFromJsonAsync<JsonElement>($"/api/v1/users/{Guid.NewGuid():N}/connections/alpha");

        Assert.Equal("alpha", body.GetProperty("serverId").GetString());
        Assert.Equal("not_connected", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Forged_callback_is_400()
    {
        using var response = await fixture.Factory.CreateClient(hostAppKey: null).GetAsync("/oauth/callback?state=forged&code=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This sign-in link is invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        var document = await fixture.Factory.CreateClient(hostAppKey: null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/users/{userId}/connections/{serverId}/authorize", out _));
    }

    [Fact]
    public void Bad_configuration_stops_start_up_with_every_problem_named()
    {
        using var factory = new McpGrainsHostFactory(s =>
        {
            s["McpGrains:PublicBaseUrl"] = "nope";
            s["McpGrains:Servers:alpha:Url"] = "http://alpha.example/mcp";
            s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey"] = TestConfiguration.AppOneKey;
            s.Remove("McpGrains:Security:Keys:k1");
        });

        var exception = Assert.Throws<OptionsValidationException>(() => factory.CreateClient(hostAppKey: null));

        Assert.Contains(exception.Failures, f => f.StartsWith("McpGrains:PublicBaseUrl", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("McpGrains:Servers:alpha:Url", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("same as another host app's key", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("No encryption keys are configured", StringComparison.Ordinal));
    }

    public sealed class HostFixture : IDisposable
    {
        public McpGrainsHostFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
