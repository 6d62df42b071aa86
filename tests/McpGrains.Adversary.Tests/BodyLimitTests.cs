using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace McpGrains.Adversary.Tests;

/// <summary>Request bodies over <c>McpGrains:Limits:MaxRequestBodyBytes</c> (4 MB by default) get 413 problem+json, on /mcp and REST.</summary>
public sealed class BodyLimitTests(OpenUpstream upstream) : IClassFixture<OpenUpstream>, IAsyncLifetime
{
    private RunningHost _host = null!;

    public Task InitializeAsync()
    {
        _host = upstream.StartHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Mcp_40MegabyteBody_Is413()
    {
        using var client = _host.Client();
        using var request = McpWire.Post("open", "alice", PaddedJson(40 * 1024 * 1024));
        // As careful clients do with a large upload: a refusal then comes before the body is sent, instead of a reset.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_body_too_large");
        Assert.Contains("McpGrains:Limits:MaxRequestBodyBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_ChunkedBodyOverTheLimit_Is413()
    {
        using var client = _host.Client();
        using var request = McpWire.Post("open", "alice", "{}");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PaddedJson(5 * 1024 * 1024))));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_body_too_large");
    }

    [Fact]
    public async Task Rest_ToolCallBodyOverTheLimit_Is413_AndUnderTheLimitIsServed()
    {
        using var client = _host.Client();

        using var tooLarge = await client.PostAsync(
            "/api/v1/users/alice/connections/open/tools/echo",
            new StringContent(EchoArguments(5 * 1024 * 1024), Encoding.UTF8, "application/json"));
        using var large = await client.PostAsync(
            "/api/v1/users/alice/connections/open/tools/echo",
            new StringContent(EchoArguments(2 * 1024 * 1024), Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "request_body_too_large");
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
    }

    private static string PaddedJson(int bytes) =>
        """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":""" + "\"" + new string('x', bytes) + "\"}}";

    private static string EchoArguments(int bytes) => """{"arguments":{"message":""" + "\"" + new string('x', bytes) + "\"}}";
}
