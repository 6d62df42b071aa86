using System.Net;
using McpGrains.OAuth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class UpstreamAddressPolicyTests : IClassFixture<LoopbackServer>
{
    private readonly LoopbackServer _server;

    public UpstreamAddressPolicyTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    [Theory]
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("93.184.216.34", AddressCategory.Public)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.0.9", AddressCategory.Loopback)]
    [InlineData("10.1.2.3", AddressCategory.Private)]
    [InlineData("172.16.0.1", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("172.32.0.1", AddressCategory.Public)]
    [InlineData("192.168.1.1", AddressCategory.Private)]
    [InlineData("100.64.0.1", AddressCategory.Private)]
    [InlineData("100.127.255.255", AddressCategory.Private)]
    [InlineData("100.128.0.1", AddressCategory.Public)]
    [InlineData("169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("255.255.255.255", AddressCategory.Broadcast)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("192.0.2.10", AddressCategory.Reserved)]
    [InlineData("198.18.0.1", AddressCategory.Reserved)]
    [InlineData("2606:4700::1111", AddressCategory.Public)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("febf::1", AddressCategory.LinkLocal)]
    [InlineData("fc00::1", AddressCategory.UniqueLocal)]
    [InlineData("fd12:3456::1", AddressCategory.UniqueLocal)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("2001:db8::1", AddressCategory.Reserved)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:10.0.0.1", AddressCategory.Private)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("::ffff:8.8.8.8", AddressCategory.Public)]
    [InlineData("::10.0.0.1", AddressCategory.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.LinkLocal)]
    [InlineData("64:ff9b::808:808", AddressCategory.Public)]
    [InlineData("2002:c0a8:0101::1", AddressCategory.Private)]
    [InlineData("2002:7f00:1::1", AddressCategory.Loopback)]
    [InlineData("fd00:ec2::254", AddressCategory.Metadata)]
    [InlineData("100.100.100.200", AddressCategory.Metadata)]
    [InlineData("::ffff:100.100.100.200", AddressCategory.Metadata)]
    [InlineData("168.63.129.16", AddressCategory.Metadata)]
    public void Categorize_Table(string address, AddressCategory expected)
    {
        Assert.Equal(expected, UpstreamAddressPolicy.Categorize(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8", false, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("::1", false, false)]
    [InlineData("::1", true, true)]
    [InlineData("::ffff:127.0.0.1", false, false)]
    [InlineData("10.0.0.1", true, false)]
    [InlineData("169.254.169.254", true, false)]
    [InlineData("fd00::1", true, false)]
    [InlineData("::ffff:192.168.0.1", true, false)]
    public void IsAddressAllowed_LoopbackOnlyWithSwitch_PrivateNever(string address, bool allowLoopback, bool expected)
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowInsecureLoopback = allowLoopback });

        Assert.Equal(expected, policy.IsAddressAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("https://as.example.com/token", false, true)]
    [InlineData("http://as.example.com/token", false, false)]
    [InlineData("http://as.example.com/token", true, false)]
    [InlineData("http://127.0.0.1:5000/token", false, false)]
    [InlineData("http://127.0.0.1:5000/token", true, true)]
    [InlineData("http://localhost:5000/token", true, true)]
    [InlineData("ftp://as.example.com/token", true, false)]
    public void IsUriAllowed_HttpsOrLoopbackHttpWithSwitch(string url, bool allowLoopback, bool expected)
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowInsecureLoopback = allowLoopback });

        Assert.Equal(expected, policy.IsUriAllowed(new Uri(url), out var reason));
        Assert.Equal(expected, reason is null);
    }

    [Fact]
    public async Task ConnectCallback_HostResolvingToLoopback_RefusedWithoutSwitch()
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowInsecureLoopback = false });
        using var client = new HttpClient(policy.CreateHandler());

        // https so the scheme check would pass: the refusal must come from the resolved address.
        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"https://localhost:{_server.BaseUri.Port}/anything?secret=1"));

        Assert.True(UpstreamDestinationRefusedException.IsRefusal(ex));
        Assert.Contains("refused: localhost resolves to a loopback address", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ConnectCallback_PrivateIpLiteral_RefusedEvenWithSwitch()
    {
        var policy = new UpstreamAddressPolicy(new OAuthHttpOptions { AllowInsecureLoopback = true });
        using var client = new HttpClient(policy.CreateHandler());

        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync("https://169.254.169.254/latest/meta-data"));

        Assert.Contains("refused: 169.254.169.254 resolves to a link-local address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedClient_LoopbackAllowedWithSwitch_ReachesServer()
    {
        _server.MapJson("/ok", "{}");
        await using var services = OAuthTestServices.Create(allowInsecureLoopback: true);
        var factory = services.GetRequiredService<IHttpClientFactory>();
        var client = factory.CreateClient(nameof(TokenClient));

        using var response = await client.GetAsync(_server.Url("/ok"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task TypedClient_WithoutSwitch_RefusesHttpLoopbackBeforeSending()
    {
        await using var services = OAuthTestServices.Create(allowInsecureLoopback: false);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TokenClient));

        var ex = await Assert.ThrowsAsync<UpstreamDestinationRefusedException>(() => client.GetAsync(_server.Url("/ok")));

        Assert.StartsWith("refused:", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task TypedClient_RedirectsAreNotFollowed()
    {
        _server.Map("/redirect", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = _server.Url("/target");
            return Task.CompletedTask;
        });
        await using var services = OAuthTestServices.Create();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(McpAuthorizationDiscovery));

        using var response = await client.GetAsync(_server.Url("/redirect"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/target");
    }
}
