using System.Security.Cryptography.X509Certificates;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>
/// <c>McpGrains:Servers:{id}:Http2</c> through the session's parts: a tools/call of a connected session reaches an MCP
/// server over https (the SDK's server, offering HTTP/1.1 and HTTP/2 by ALPN) in HTTP/2 by default, and in HTTP/1.1
/// with the setting off. The server records the HTTP version of every request.
/// </summary>
public sealed class UpstreamHttp2Tests : IAsyncLifetime
{
    private readonly X509Certificate2 _certificate = LoopbackCertificate.Create();
    private ProtectedMcpServer _mcp = null!;

    public async Task InitializeAsync() =>
        _mcp = await ProtectedMcpServer.StartAsync(null, new ProtectedMcpServerOptions { RequireAuthorization = false, Stateful = true, Certificate = _certificate });

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        _certificate.Dispose();
    }

    [Theory]
    [InlineData(null, "HTTP/2")]
    [InlineData(true, "HTTP/2")]
    [InlineData(false, "HTTP/1.1")]
    public async Task ToolCall_GoesInTheHttpVersionTheSettingAllows(bool? http2, string expected)
    {
        using var harness = SessionHarness.Create(
            options =>
            {
                var server = options.Servers[SessionHarness.ServerId];
                server.Url = _mcp.McpUri.ToString();
                if (http2 is { } value)
                {
                    server.Http2 = value;
                }
            },
            upstreamHandler: () => LoopbackCertificate.TrustingHandler(_certificate));
        var calls = _mcp.RequestProtocols.Count;

        var result = await harness.Parts.Calls.SendAsync(
            new UpstreamRequest("tools/call", """{"name":"echo","arguments":{"message":"over https"}}"""), null, CancellationToken.None);
        await harness.Parts.Upstream.CloseAsync("test over");

        Assert.Equal(UpstreamOutcome.Success, result.Outcome);
        Assert.Contains("over https", result.ResultJson, StringComparison.Ordinal);
        var call = Assert.Single(_mcp.RequestProtocols.Skip(calls), request => request.Method == "tools/call");
        Assert.Equal(expected, call.Protocol);
    }
}
