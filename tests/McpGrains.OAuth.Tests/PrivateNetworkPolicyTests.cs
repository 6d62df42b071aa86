using System.Net;
using McpGrains.OAuth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>
/// What the operator's allow-lists open (private networks by CIDR, or any private address for a server allowed on
/// private networks) and what stays closed whatever they say (loopback without the development switch, link-local,
/// cloud metadata); names are judged by every address they resolve to.
/// </summary>
public sealed class PrivateNetworkPolicyTests : IClassFixture<LoopbackServer>
{
    private static readonly IPNetwork[] Listed = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00:1234::/32"), IPNetwork.Parse("198.18.0.0/15")];
    private readonly LoopbackServer _server;

    public PrivateNetworkPolicyTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("fd00:1234::5", true)]
    [InlineData("198.18.0.7", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("fd00:5678::5", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    public void IsAddressAllowed_ListedNetworks_OpenOnlyWhatTheyList(string address, bool expected)
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowedPrivateNetworks = Listed });

        Assert.Equal(expected, policy.IsAddressAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.168.1.1", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("::ffff:192.168.1.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("100.100.100.200", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("198.18.0.7", false)]
    public void IsAddressAllowed_ServerAllowedOnPrivateNetworks_NeverLoopbackLinkLocalOrMetadata(string address, bool expected)
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions());

        Assert.Equal(expected, policy.IsAddressAllowed(IPAddress.Parse(address), privateNetworkAllowed: true));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse(address)) && !expected);
    }

    [Fact]
    public void IsAddressAllowed_LoopbackForAServerAllowedOnPrivateNetworks_OnlyWithTheDevelopmentSwitch()
    {
        var production = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowedPrivateNetworks = Listed });
        var development = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowInsecureLoopback = true });

        Assert.False(production.IsAddressAllowed(IPAddress.Loopback, privateNetworkAllowed: true));
        Assert.True(development.IsAddressAllowed(IPAddress.Loopback, privateNetworkAllowed: false));
    }

    [Theory]
    [InlineData("internal.example", "10.0.0.5", "private")]
    [InlineData("mixed.example", "93.184.216.34,10.0.0.5", "private")]
    [InlineData("mapped.example", "::ffff:192.168.0.5", "private")]
    [InlineData("metadata.example", "169.254.169.254", "link-local")]
    [InlineData("aws6.example", "fd00:ec2::254", "cloud metadata")]
    [InlineData("localhost.example", "127.0.0.1", "loopback")]
    public async Task ConnectCallback_NameResolvingToAForbiddenAddress_IsRefusedBeforeConnecting(string name, string addresses, string category)
    {
        var policy = PolicyResolving(name, addresses, allowInsecureLoopback: false);
        using var client = new HttpClient(policy.CreateHandler());

        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"https://{name}/"));

        Assert.True(UpstreamDestinationRefusedException.IsRefusal(ex));
        Assert.Contains($"refused: {name} resolves to a {category} address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectCallback_ConnectsToTheAddressItChecked_NotToANewResolution()
    {
        _server.MapJson("/ok", "{}");
        var policy = PolicyResolving("resolved.example", "127.0.0.1", allowInsecureLoopback: true);
        using var client = new HttpClient(policy.CreateHandler());

        // The name exists only in the policy's resolver: reaching the server proves the checked address was used.
        using var response = await client.GetAsync($"http://resolved.example:{_server.BaseUri.Port}/ok");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task TypedClient_InsideAPrivateNetworkScope_MayConnectToPrivateAddresses_OutsideItNot()
    {
        await using var services = OAuthTestServices.Create(allowInsecureLoopback: false, timeout: TimeSpan.FromSeconds(2));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TokenClient));

        var outside = await Record.ExceptionAsync(() => client.GetAsync("https://10.0.0.5:9/token"));
        Exception? inside;
        using (PrivateNetworkAccess.Allow(true))
        {
            inside = await Record.ExceptionAsync(() => client.GetAsync("https://10.0.0.5:9/token"));
        }

        var after = await Record.ExceptionAsync(() => client.GetAsync("https://10.0.0.5:9/token"));

        Assert.True(UpstreamDestinationRefusedException.IsRefusal(outside));
        Assert.False(UpstreamDestinationRefusedException.IsRefusal(inside), "inside the scope the request went out (nothing answers there)");
        Assert.True(UpstreamDestinationRefusedException.IsRefusal(after));
    }

    private static UpstreamAddressPolicy PolicyResolving(string name, string addresses, bool allowInsecureLoopback) =>
        new(
            new OAuthHttpOptions { AllowInsecureLoopback = allowInsecureLoopback },
            logger: null,
            (host, _) => Task.FromResult(host == name ? addresses.Split(',').Select(IPAddress.Parse).ToArray() : []));
}
