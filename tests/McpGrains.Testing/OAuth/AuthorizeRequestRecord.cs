namespace McpGrains.Testing;

/// <summary>The parameters of one /authorize request, for assertions.</summary>
public sealed record AuthorizeRequestRecord(
    string? ClientId,
    string? RedirectUri,
    string? Scope,
    string? Resource,
    string? CodeChallengeMethod,
    bool HadState,
    string Subject);
