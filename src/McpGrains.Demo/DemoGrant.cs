namespace McpGrains.Demo;

/// <summary>What the demo user allowed: whose account (the name typed on the sign-in page), to which client and request.</summary>
public sealed record DemoGrant(string UserName, DemoAuthorizationRequest Request);
