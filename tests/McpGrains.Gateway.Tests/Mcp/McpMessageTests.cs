using System.Text;
using McpGrains.Gateway.Mcp;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>The endpoint reads only what routing and policy need; the rest of a message stays raw bytes.</summary>
public sealed class McpMessageTests
{
    [Fact]
    public void Request_ReadsMethodIdMetaAndTarget_AndKeepsParamsRaw()
    {
        const string body = """
            {"jsonrpc":"2.0","id":"a-7","method":"tools/call","params":{"name":"echo","arguments":{"message":"hi","nested":{"name":"not-the-tool"}},
             "_meta":{"progressToken":42,"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{"url":{}}}}}}
            """;

        var message = McpMessage.Read(Encoding.UTF8.GetBytes(body));

        Assert.Equal(McpMessageKind.Request, message.Kind);
        Assert.Equal("tools/call", message.Method);
        Assert.Equal("\"a-7\"", Encoding.UTF8.GetString(message.Id.Span));
        Assert.Equal("echo", message.Target);
        Assert.Equal("42", Encoding.UTF8.GetString(message.ProgressToken.Span));
        Assert.Equal("2026-07-28", message.MetaProtocolVersion);
        Assert.Equal(new DownstreamCapabilities(false, true, false, false), ClientCapabilitiesReader.Read(message.MetaClientCapabilities.Span));
        Assert.StartsWith("{\"name\":\"echo\"", message.ParamsText, StringComparison.Ordinal);
        Assert.EndsWith("}}}", message.ParamsText, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_ReadsRevisionCapabilitiesAndClientInfo()
    {
        const string body = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"sampling":{},"elicitation":{}},"clientInfo":{"name":"c","version":"9"}}}""";

        var message = McpMessage.Read(Encoding.UTF8.GetBytes(body));

        Assert.Equal("2025-06-18", message.ProtocolVersion);
        Assert.Equal(new DownstreamCapabilities(true, false, true, false), ClientCapabilitiesReader.Read(message.Capabilities.Span));
        Assert.Equal(("c", "9"), (message.ClientName, message.ClientVersion));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", (int)McpMessageKind.Notification)]
    [InlineData("""{"jsonrpc":"2.0","id":"mcpgrains-x","result":{"action":"accept"}}""", (int)McpMessageKind.Response)]
    [InlineData("""{"jsonrpc":"2.0","id":"mcpgrains-x","error":{"code":-1,"message":"no"}}""", (int)McpMessageKind.Response)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""", (int)McpMessageKind.Invalid)]
    [InlineData("""{"id":1,"method":"ping"}""", (int)McpMessageKind.Invalid)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""", (int)McpMessageKind.Invalid)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", (int)McpMessageKind.Invalid)]
    public void Kinds(string body, int expected) =>
        Assert.Equal((McpMessageKind)expected, McpMessage.Read(Encoding.UTF8.GetBytes(body)).Kind);
}
