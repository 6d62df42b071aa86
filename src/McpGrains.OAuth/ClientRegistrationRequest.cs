namespace McpGrains.OAuth;

/// <summary>What McpGrains asks for when registering itself (RFC 7591) with an authorization server.</summary>
/// <param name="ClientName">Human-readable name shown on the consent screen.</param>
/// <param name="RedirectUri">The gateway's OAuth callback URL.</param>
/// <param name="Scope">Optional space-separated scopes to register.</param>
public sealed record ClientRegistrationRequest(string ClientName, string RedirectUri, string? Scope = null);
