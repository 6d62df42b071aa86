namespace McpGrains.Gateway.Contracts;

/// <summary>One user's connection to one upstream server. Never carries a secret.</summary>
public sealed record ConnectionResponse(
    string ServerId,
    string Status,
    IReadOnlyList<string> GrantedScopes,
    DateTimeOffset? ExpiresAt,
    ConnectionErrorResponse? LastError,
    DateTimeOffset? UpdatedAt)
{
    public static ConnectionResponse From(ConnectionInfo info) => new(
        info.ServerId,
        info.Status.ToWireName(),
        info.GrantedScopes ?? [],
        info.ExpiresAt,
        info.LastError is { } error ? new ConnectionErrorResponse(error.Code, error.Message) : null,
        info.UpdatedAt);
}
