namespace McpGrains.Testing;

/// <summary>A client's authorization request parked while the browser visits the third-party server.</summary>
internal sealed record PendingDelegation(
    string ClientId,
    string RedirectUri,
    string? ClientState,
    string? CodeChallenge,
    IReadOnlyList<string> Scopes,
    string? Resource,
    string UpstreamCodeVerifier);
