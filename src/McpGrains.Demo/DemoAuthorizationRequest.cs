namespace McpGrains.Demo;

/// <summary>
/// An authorization request as the demo authorization server received it (RFC 6749 4.1.1 with PKCE and RFC 8707), and
/// the name the user signed in with once they have.
/// </summary>
public sealed record DemoAuthorizationRequest(
    string ClientId,
    string RedirectUri,
    string? State,
    string CodeChallenge,
    string Scope,
    string? Resource,
    string? UserName = null);
