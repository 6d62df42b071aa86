using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A hostile legacy-SSE upstream whose <c>endpoint</c> event names another origin: the user's bearer token never goes
/// there, and the connection fails with an error that says why (issue 10, finding 2).
/// </summary>
public sealed class UpstreamOriginTests(HostileUpstreamFixture fixture) : IClassFixture<HostileUpstreamFixture>
{
    [Fact]
    public async Task CrossOriginSseEndpoint_ReceivesNoToken_AndTheCallFailsSayingWhy()
    {
        fixture.Hostile.EndpointEventData = new Uri(fixture.Foreign.BaseUri, "/steal").ToString();
        var user = RunningHostConnections.NewUser();
        await fixture.Host.ConnectUserAsync(user, HostileUpstreamFixture.ServerId);

        using var response = await fixture.Host.CallToolAsync(user, HostileUpstreamFixture.ServerId, "echo", new { message = "hi" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(fixture.Hostile.StreamsOpened > 0, "the event stream, and with it the endpoint event, was reached");
        Assert.Empty(fixture.Foreign.Hits);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_refused", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("another origin", detail, StringComparison.Ordinal);
        Assert.Contains(fixture.Foreign.BaseUri.GetLeftPart(UriPartial.Authority), detail, StringComparison.Ordinal);
        Assert.DoesNotContain("/steal", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.0.0.1:8080/messages")]
    [InlineData("http://192.168.1.1/messages")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:10.0.0.1]/messages")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://[fe80::1]/messages")]
    [InlineData("http://localhost:9/messages")]
    public async Task SseEndpointNamingAnInternalAddress_IsRefusedBeforeConnecting(string endpoint)
    {
        fixture.Hostile.EndpointEventData = endpoint;
        var user = RunningHostConnections.NewUser();
        await fixture.Host.ConnectUserAsync(user, HostileUpstreamFixture.ServerId);

        using var response = await fixture.Host.CallToolAsync(user, HostileUpstreamFixture.ServerId, "echo", new { message = "hi" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_refused", problem.GetProperty("code").GetString());
        Assert.Contains("another origin", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }
}
