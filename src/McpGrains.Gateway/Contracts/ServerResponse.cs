namespace McpGrains.Gateway.Contracts;

/// <summary>One configured upstream MCP server, as host apps see it.</summary>
public sealed record ServerResponse(string ServerId, string Url, string Transport, string DisplayName);
