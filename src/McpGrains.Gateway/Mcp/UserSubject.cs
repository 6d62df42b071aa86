namespace McpGrains.Gateway.Mcp;

/// <summary>
/// What the host app says about the user on a request, for a sign-in link the request may need: a label for the
/// confirmation page (an e-mail address) and, in binding mode oidc, the identity the organization's sign-in must show.
/// </summary>
internal readonly record struct UserSubject(string? Label, string? Identity);
