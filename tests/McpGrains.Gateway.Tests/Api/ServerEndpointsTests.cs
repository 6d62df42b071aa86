using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;

namespace McpGrains.Gateway.Tests.Api;

public sealed class ServerEndpointsTests
{
    [Fact]
    public async Task ListServers_returns_configured_servers_ordered_by_id()
    {
        await using var host = await GatewayTestHost.StartAsync();

        var json = await host.CreateClient().GetStringAsync("/api/v1/servers");

        using var document = JsonDocument.Parse(json);
        var servers = document.RootElement.GetProperty("servers").EnumerateArray().ToArray();
        Assert.Equal(2, servers.Length);
        Assert.Equal("alpha", servers[0].GetProperty("serverId").GetString());
        Assert.Equal("https://alpha.example/mcp", servers[0].GetProperty("url").GetString());
        Assert.Equal("streamable-http", servers[0].GetProperty("transport").GetString());
        Assert.Equal("alpha", servers[0].GetProperty("displayName").GetString());
        Assert.Equal("beta", servers[1].GetProperty("serverId").GetString());
        Assert.Equal("auto", servers[1].GetProperty("transport").GetString());
        Assert.Equal("Beta <Tools>", servers[1].GetProperty("displayName").GetString());
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Health_live_is_200_without_a_key()
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient(hostAppKey: null).GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_rest_operations_and_the_bearer_scheme()
    {
        await using var host = await GatewayTestHost.StartAsync();

        var document = await host.CreateClient(hostAppKey: null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/servers").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/users/{userId}/connections").TryGetProperty("get", out _));
        var connection = paths.GetProperty("/api/v1/users/{userId}/connections/{serverId}");
        Assert.True(connection.TryGetProperty("get", out _));
        Assert.True(connection.TryGetProperty("delete", out _));
        var authorize = paths.GetProperty("/api/v1/users/{userId}/connections/{serverId}/authorize").GetProperty("post");
        Assert.True(authorize.GetProperty("responses").TryGetProperty("502", out _));
        Assert.True(authorize.GetProperty("responses").TryGetProperty("401", out _));
        Assert.False(paths.TryGetProperty("/oauth/callback", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("hostAppKey").GetProperty("scheme").GetString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ConnectionResponse").GetProperty("properties").TryGetProperty("grantedScopes", out _));
    }
}
