namespace McpGrains;

/// <summary>The wire names of <see cref="ConnectionStatus"/> in the REST contract.</summary>
public static class ConnectionStatusNames
{
    public static string ToWireName(this ConnectionStatus status) => status switch
    {
        ConnectionStatus.NotConnected => "not_connected",
        ConnectionStatus.AuthorizationPending => "authorization_pending",
        ConnectionStatus.Connected => "connected",
        ConnectionStatus.ReauthorizationRequired => "reauthorization_required",
        ConnectionStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
