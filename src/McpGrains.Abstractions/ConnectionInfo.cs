namespace McpGrains;

/// <summary>What a host app may know about a connection. Never a secret.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.ConnectionInfo")]
public sealed record ConnectionInfo(
    [property: Id(0)] string ServerId,
    [property: Id(1)] ConnectionStatus Status,
    [property: Id(2)] IReadOnlyList<string> GrantedScopes,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] SessionError? LastError,
    [property: Id(5)] DateTimeOffset? UpdatedAt);
