namespace McpGrains.Gateway.Contracts;

public sealed record ConnectionListResponse(IReadOnlyList<ConnectionResponse> Connections);
