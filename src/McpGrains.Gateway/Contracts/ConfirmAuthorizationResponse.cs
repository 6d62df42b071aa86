namespace McpGrains.Gateway.Contracts;

/// <summary>A confirmed flow: the connection is <c>connected</c>; <see cref="ReturnUrl"/> is the flow's allow-listed return URL, if it had one.</summary>
public sealed record ConfirmAuthorizationResponse(string Status, string ServerId, string? ReturnUrl);
