namespace McpGrains.Gateway.Contracts;

/// <summary>The optional body of <c>POST .../authorize</c>.</summary>
public sealed record AuthorizeConnectionRequest(string? ReturnUrl);
