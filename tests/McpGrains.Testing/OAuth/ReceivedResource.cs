namespace McpGrains.Testing;

/// <summary>The RFC 8707 <c>resource</c> parameter seen on one request (null when absent).</summary>
/// <param name="Stage">"authorize", "token" (authorization_code grant) or "refresh".</param>
public sealed record ReceivedResource(string Stage, string? Resource);
