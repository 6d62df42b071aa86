namespace McpGrains;

/// <summary>The state of one user's connection to one upstream server, as host apps see it.</summary>
/// <remarks>Persisted and serialized by name: never rename or renumber.</remarks>
public enum ConnectionStatus
{
    NotConnected = 0,
    AuthorizationPending = 1,
    Connected = 2,
    ReauthorizationRequired = 3,
    Error = 4,
}
