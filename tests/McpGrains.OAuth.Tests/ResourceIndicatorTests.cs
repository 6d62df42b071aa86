using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class ResourceIndicatorTests
{
    [Theory]
    [InlineData("https://mcp.example.com", "https://mcp.example.com")]
    [InlineData("https://mcp.example.com/", "https://mcp.example.com")]
    [InlineData("HTTPS://MCP.Example.COM/mcp", "https://mcp.example.com/mcp")]
    [InlineData("https://mcp.example.com:443/mcp", "https://mcp.example.com/mcp")]
    [InlineData("https://mcp.example.com:8443/mcp", "https://mcp.example.com:8443/mcp")]
    [InlineData("https://mcp.example.com/mcp#section", "https://mcp.example.com/mcp")]
    [InlineData("https://mcp.example.com/mcp/", "https://mcp.example.com/mcp/")]
    [InlineData("https://mcp.example.com/Server/MCP", "https://mcp.example.com/Server/MCP")]
    [InlineData("http://127.0.0.1:5000/mcp", "http://127.0.0.1:5000/mcp")]
    public void Canonicalize_Examples(string input, string expected)
    {
        Assert.Equal(expected, ResourceIndicator.Canonicalize(new Uri(input)));
    }

    [Theory]
    [InlineData("https://mcp.example.com/mcp", "https://mcp.example.com/mcp", true)]
    [InlineData("https://MCP.example.com/mcp", "https://mcp.example.com/mcp", true)]
    [InlineData("https://mcp.example.com/mcp/", "https://mcp.example.com/mcp", true)]
    [InlineData("https://mcp.example.com/mcp", "https://mcp.example.com/mcp/", true)]
    [InlineData("https://mcp.example.com/other", "https://mcp.example.com/mcp", false)]
    [InlineData("https://evil.example.com/mcp", "https://mcp.example.com/mcp", false)]
    [InlineData("http://mcp.example.com/mcp", "https://mcp.example.com/mcp", false)]
    [InlineData("not a url", "https://mcp.example.com/mcp", false)]
    [InlineData("", "https://mcp.example.com/mcp", false)]
    [InlineData("http://host/", "http://host/mcp", true)]
    [InlineData("http://host", "http://host/mcp", true)]
    [InlineData("HTTP://HOST:80/", "http://host/mcp", true)]
    [InlineData("https://h/a", "https://h/a/b", true)]
    [InlineData("https://h/a/", "https://h/a/b", true)]
    [InlineData("https://h/a", "https://h/a/b/c?x=1", true)]
    [InlineData("https://h/ab", "https://h/abc", false)]
    [InlineData("https://h/a/b", "https://h/a", false)]
    [InlineData("https://h/A", "https://h/a/b", false)]
    [InlineData("https://h:8443/", "https://h/mcp", false)]
    [InlineData("https://h/", "https://h:8443/mcp", false)]
    [InlineData("http://h/", "https://h/mcp", false)]
    [InlineData("https://other.h/", "https://h/mcp", false)]
    [InlineData("https://evil.example.com/mcp", "https://evil.example.com.attacker/mcp", false)]
    [InlineData("https://h/?x=1", "https://h/mcp", false)]
    public void Matches_Table(string prmResource, string mcpUrl, bool expected)
    {
        Assert.Equal(expected, ResourceIndicator.Matches(prmResource, new Uri(mcpUrl)));
    }
}
