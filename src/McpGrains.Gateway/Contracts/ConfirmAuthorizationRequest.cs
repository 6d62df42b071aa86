namespace McpGrains.Gateway.Contracts;

/// <summary>The body of <c>POST /api/v1/authorizations/{flowId}/confirm</c>: the user the host app has signed in, in the browser that brought the flow id.</summary>
public sealed record ConfirmAuthorizationRequest(string? UserId);
