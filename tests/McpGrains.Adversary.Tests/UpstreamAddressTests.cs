using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// The MCP transport's HTTP pipeline (the one the grains connect upstream through) refuses private, link-local,
/// metadata and (without the development switch) loopback destinations before connecting, as OAuth traffic does; an
/// operator lets internal upstreams through with <c>AllowedPrivateNetworks</c> or per-server <c>AllowPrivateNetwork</c>
/// (issue 10, findings 2 and 9).
/// </summary>
public sealed class UpstreamAddressTests(InternalUpstreamHosts hosts) : IClassFixture<InternalUpstreamHosts>
{
    private static readonly TimeSpan NotRefusedWithin = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("https://10.0.0.1:9/mcp", "private")]
    [InlineData("https://172.16.5.4:9/mcp", "private")]
    [InlineData("https://192.168.0.10:9/mcp", "private")]
    [InlineData("https://100.64.0.1:9/mcp", "private")]
    [InlineData("https://[::ffff:10.0.0.1]:9/mcp", "private")]
    [InlineData("https://[fd12:3456::1]:9/mcp", "unique-local")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("https://[::ffff:169.254.169.254]/latest/meta-data/", "link-local")]
    [InlineData("https://[fe80::1]:9/mcp", "link-local")]
    [InlineData("https://[fd00:ec2::254]/latest/meta-data/", "cloud metadata")]
    [InlineData("https://100.100.100.200/latest/meta-data/", "cloud metadata")]
    [InlineData("https://0.0.0.0:9/mcp", "unspecified")]
    [InlineData("http://10.0.0.1:9/mcp", "not https")]
    public async Task McpTransport_RefusesInternalDestinations_BeforeConnecting(string url, string why)
    {
        using var client = TransportClient(hosts.Development);

        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(url));

        Assert.True(UpstreamDestinationRefusedException.IsRefusal(ex), ex.ToString());
        Assert.Contains(why, UpstreamDestinationRefusedException.Find(ex)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://localhost:{port}/mcp")]
    [InlineData("https://127.0.0.1:{port}/mcp")]
    [InlineData("https://[::1]:{port}/mcp")]
    [InlineData("https://[::ffff:127.0.0.1]:{port}/mcp")]
    [InlineData("http://127.0.0.1:{port}/mcp")]
    public async Task McpTransport_WithoutTheDevelopmentSwitch_RefusesLoopback(string url)
    {
        using var client = TransportClient(hosts.NoLoopback);

        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(url.Replace("{port}", InternalUpstreamHosts.Port(hosts.NoLoopback), StringComparison.Ordinal)));

        Assert.True(UpstreamDestinationRefusedException.IsRefusal(ex), ex.ToString());
    }

    [Theory]
    [InlineData("https://10.0.0.1:9/mcp", false)]
    [InlineData("https://[fd00:1234::5]:9/mcp", false)]
    [InlineData("https://192.168.0.10:9/mcp", true)]
    [InlineData("https://169.254.169.254/latest/meta-data/", true)]
    public async Task McpTransport_AllowedPrivateNetworks_LetsOnlyTheListedNetworksThrough(string url, bool refused)
    {
        using var client = TransportClient(hosts.Internal);

        Assert.Equal(refused, await IsRefusedAsync(client, new HttpRequestMessage(HttpMethod.Get, url)));
    }

    [Theory]
    [InlineData("https://192.168.0.10:9/mcp", false)]
    [InlineData("https://[fd12:3456::1]:9/mcp", false)]
    [InlineData("https://169.254.169.254/latest/meta-data/", true)]
    [InlineData("https://[fd00:ec2::254]/latest/meta-data/", true)]
    [InlineData("https://0.0.0.0:9/mcp", true)]
    public async Task McpTransport_ARequestOfAServerAllowedOnPrivateNetworks_ReachesPrivateButNeverLinkLocalOrMetadata(string url, bool refused)
    {
        using var client = TransportClient(hosts.Development);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Options.Set(PrivateNetworkAccess.RequestOption, true);

        Assert.Equal(refused, await IsRefusedAsync(client, request));
    }

    [Theory]
    [InlineData("listed", null)]
    [InlineData("flagged", null)]
    [InlineData("unlisted", "refused: 192.168.0.10 resolves to a private address")]
    [InlineData("flagged-metadata", "refused: 169.254.169.254 resolves to a link-local address")]
    public async Task Discovery_OfInternalUpstreams_FollowsTheOperatorsAllowLists(string serverId, string? refusal)
    {
        using var client = hosts.Internal.Client();

        using var response = await client.PostAsync($"/api/v1/users/{RunningHostConnections.NewUser()}/connections/{serverId}/authorize", content: null);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

        // Nothing answers at these addresses: what matters is whether McpGrains refused to try.
        if (refusal is null)
        {
            Assert.DoesNotContain("refused:", detail, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(refusal, detail, StringComparison.Ordinal);
        }
    }

    private static HttpClient TransportClient(RunningHost host) =>
        new(host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(UpstreamHttp.ClientName)) { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>True when the guard refused; false when the request went out (and failed or timed out: nothing listens there).</summary>
    private static async Task<bool> IsRefusedAsync(HttpClient client, HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(NotRefusedWithin);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return UpstreamDestinationRefusedException.IsRefusal(ex);
        }
    }
}
