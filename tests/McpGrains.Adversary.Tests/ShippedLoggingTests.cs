using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// With the logging settings it ships (<c>appsettings.json</c>), the host writes nothing per successful proxied call once
/// the connection is up: an operator's log holds lifecycle events, not one line per tool call.
/// </summary>
public sealed class ShippedLoggingTests
{
    private const string ServerId = "tools";
    private const int Calls = 20;

    [Fact]
    public async Task ProxiedCalls_OverRestAndMcp_WriteNoLogLine_AtSteadyState()
    {
        await using var authorization = await TestAuthorizationServer.StartAsync();
        await using var upstream = await ProtectedMcpServer.StartAsync(authorization, new ProtectedMcpServerOptions { Stateful = true });
        await using var host = RunningHost.Start(
            settings =>
            {
                settings[$"McpGrains:Servers:{ServerId}:Url"] = upstream.McpUri.ToString();

                // Streamable HTTP as configured (not detected): the SDK's per-call tool-cache warning showed here.
                settings[$"McpGrains:Servers:{ServerId}:Transport"] = "streamable-http";
            },
            shippedLogging: true);
        using var api = host.Client();
        using var browser = new TestBrowser();
        var user = "user-" + Guid.NewGuid().ToString("N")[..12];
        await SignInAsync(host, api, browser, user);
        await using var mcp = await ConnectMcpAsync(host, user);

        // The first calls open the upstream connection and the downstream session: lifecycle, logged as such.
        await CallRestAsync(api, user, "warm-up");
        await CallMcpAsync(mcp, "warm-up");
        var before = host.Logs.Entries.Count;

        for (var i = 0; i < Calls; i++)
        {
            await CallRestAsync(api, user, "rest " + i);
            await CallMcpAsync(mcp, "mcp " + i);
        }

        // Scopes (Level None) are not log lines: providers write them only around lines that are written. Orleans'
        // runtime health reports (a stalled process, a slow turn) say the machine is too busy to schedule the process
        // (a loaded CI runner), not that a call logged something.
        var written = host.Logs.Entries.Skip(before)
            .Where(entry => entry.Level != LogLevel.None && !MachineHealthCategories.Contains(entry.Category))
            .ToList();
        Assert.True(written.Count == 0, $"{written.Count} log lines for {2 * Calls} calls:\n" + string.Join('\n', written.Take(20).Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }

    private static readonly HashSet<string> MachineHealthCategories = new(StringComparer.Ordinal)
    {
        "Orleans.Runtime.Watchdog",
        "Orleans.Runtime.MembershipService.LocalSiloHealthMonitor",
        "Orleans.Runtime.Scheduler.WorkItemGroup",
    };

    private static async Task SignInAsync(RunningHost host, HttpClient api, TestBrowser browser, string user)
    {
        using var authorize = await api.PostAsJsonAsync($"/api/v1/users/{user}/connections/{ServerId}/authorize", new { });
        var body = await authorize.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(authorize.IsSuccessStatusCode, body.ToString());
        using var landing = await browser.CompleteSignInAsync(body.GetProperty("authorizationUrl").GetString()!, new Uri(host.BaseAddress, "/oauth/callback"));
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
    }

    private static Task<McpClient> ConnectMcpAsync(RunningHost host, string user) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(host.BaseAddress, "/mcp/" + ServerId),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer " + RunningHost.HostAKey,
                ["X-User-Id"] = user,
            },
        }));

    private static async Task CallRestAsync(HttpClient api, string user, string message)
    {
        using var response = await api.PostAsJsonAsync($"/api/v1/users/{user}/connections/{ServerId}/tools/echo", new { arguments = new { message } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task CallMcpAsync(McpClient mcp, string message)
    {
        var result = await mcp.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message });
        Assert.NotEqual(true, result.IsError);
    }
}
