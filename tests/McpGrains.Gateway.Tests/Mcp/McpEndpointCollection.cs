namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>The MCP endpoint suites share one host and its upstream fixtures, and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class McpEndpointCollection : ICollectionFixture<McpEndpointFixture>
{
    public const string Name = "mcp-endpoint";
}
