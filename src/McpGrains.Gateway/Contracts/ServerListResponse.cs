namespace McpGrains.Gateway.Contracts;

public sealed record ServerListResponse(IReadOnlyList<ServerResponse> Servers);
