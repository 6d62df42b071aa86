namespace McpGrains.Gateway.Contracts;

/// <summary>Why a connection is not usable: a stable code and a message safe to show to a user.</summary>
public sealed record ConnectionErrorResponse(string Code, string Message);
