using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using McpGrains.Cluster.Tests.Harness;
using McpGrains.Testing;

namespace McpGrains.Cluster.Tests;

/// <summary>
/// <c>McpGrains:Servers:{id}:Http2</c> end to end in the host's own process: the shipped HTTP pipeline (the address
/// guard's connection pools) calls an MCP server over https (the SDK's server, offering HTTP/1.1 and HTTP/2 by ALPN,
/// its certificate the process's only trusted root through <c>SSL_CERT_FILE</c>). REST tool calls reach it in HTTP/2
/// by default, the calls of users in flight together on one connection; with the setting off, in HTTP/1.1, a
/// connection per call in flight.
/// </summary>
public sealed class UpstreamHttp2ProcessTests : IAsyncLifetime
{
    private const string HostKey = "http2-host-key-0123456789abcdef";
    private const string ServerId = "tls";

    private readonly X509Certificate2 _certificate = LoopbackCertificate.Create();
    private readonly string _certificateFile = Path.Combine(Path.GetTempPath(), $"mcpgrains-http2-{Guid.NewGuid():N}.pem");
    private ProtectedMcpServer _upstream = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_certificateFile, _certificate.ExportCertificatePem());
        _upstream = await ProtectedMcpServer.StartAsync(null, new ProtectedMcpServerOptions { RequireAuthorization = false, Stateful = true, Certificate = _certificate });
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _certificate.Dispose();
        File.Delete(_certificateFile);
    }

    private const int Users = 6;

    [Theory]
    [InlineData(null, "HTTP/2", 1)]
    [InlineData(false, "HTTP/1.1", Users)]
    public async Task RestToolCalls_ReachAnHttpsUpstream_InTheHttpVersionTheSettingAllows(bool? http2, string expected, int connections)
    {
        var baseUri = new Uri($"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}/");
        var environment = new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = _certificateFile,
            ["McpGrains__PublicBaseUrl"] = baseUri.ToString().TrimEnd('/'),
            ["McpGrains__Security__AllowInsecureLoopback"] = "true",
            ["McpGrains__Security__Keys__k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains__Security__ActiveKeyId"] = "k1",
            ["McpGrains__HostApps__app__ApiKey"] = HostKey,
            [$"McpGrains__Servers__{ServerId}__Url"] = _upstream.McpUri.ToString(),
            ["McpGrains__Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["McpGrains__Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        };
        if (http2 is { } value)
        {
            environment[$"McpGrains__Servers__{ServerId}__Http2"] = value ? "true" : "false";
        }

        await using var host = HostProcess.Start("http2-host", environment, ["--urls", baseUri.ToString().TrimEnd('/')], baseUri);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = baseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostKey);
        var calls = _upstream.RequestProtocols.Count;

        // One call per user, each answered only once all of them are in flight upstream together.
        var group = "users-" + Guid.NewGuid().ToString("N");
        var responses = await Task.WhenAll(Enumerable.Range(0, Users).Select(user =>
            client.PostAsJsonAsync($"/api/v1/users/user-{user}/connections/{ServerId}/tools/gather", new { arguments = new { group, count = Users } })));

        foreach (var response in responses)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{host.Output}");
                Assert.Contains($"{Users} together", body, StringComparison.Ordinal);
            }
        }

        var toolCalls = _upstream.RequestProtocols.Skip(calls).Where(request => request.Method == "tools/call").ToList();
        Assert.Equal(Users, toolCalls.Count);
        Assert.All(toolCalls, call => Assert.Equal(expected, call.Protocol));
        Assert.Equal(connections, toolCalls.Select(call => call.Connection).Distinct().Count());
    }
}
