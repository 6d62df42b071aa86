using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;
using ModelContextProtocol.Client;

namespace McpGrains.Bench.Infrastructure;

/// <summary>Calls McpGrains the way a host app does: REST with the host key, and MCP on /mcp/{serverId}.</summary>
public sealed class GatewayClient : IDisposable
{
    private static readonly JsonElement EchoBody = JsonSerializer.SerializeToElement(new { arguments = new { message = "ping" } });
    private readonly HttpClient _http;
    private readonly GatewayHost _host;

    /// <summary>Users' browsers for sign-in links, which name the public URL while the host listens on a free port.</summary>
    private readonly TestBrowser _browser;

    public GatewayClient(GatewayHost host, int maxConnections = 1024)
    {
        _host = host;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.HostKey);
        _browser = TestBrowser.ForGateway(new Uri(GatewayHost.PublicBaseUrl), host.BaseAddress);
    }

    public HttpClient Http => _http;

    public async Task CallEchoAsync(string user, string serverId)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/users/{user}/connections/{serverId}/tools/echo", EchoBody);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"REST echo answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }

    public async Task<HttpResponseMessage> GetConnectionAsync(string user, string serverId) =>
        await _http.GetAsync($"api/v1/users/{user}/connections/{serverId}");

    /// <summary>authorize (REST) + the sign-in link's page and Continue + browser at the authorization server + callback: one connected session.</summary>
    public async Task ConnectAsync(string user, string serverId)
    {
        using var authorize = await _http.PostAsync($"api/v1/users/{user}/connections/{serverId}/authorize", null);
        authorize.EnsureSuccessStatusCode();
        var body = await authorize.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "authorization_required")
        {
            throw new InvalidOperationException($"authorize answered {body}");
        }

        using var landing = await _browser.CompleteSignInAsync(body.GetProperty("authorizationUrl").GetString()!, _host.CallbackPrefix, user);
        if (!landing.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"callback answered {(int)landing.StatusCode}");
        }
    }

    public Task<McpClient> OpenMcpAsync(string user, string serverId) =>
        McpClients.OpenAsync(new Uri(_host.BaseAddress, "mcp/" + serverId), new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + GatewayHost.HostKey,
            ["X-User-Id"] = user,
        });

    public void Dispose()
    {
        _http.Dispose();
        _browser.Dispose();
    }
}
