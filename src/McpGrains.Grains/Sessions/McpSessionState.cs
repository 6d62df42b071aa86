namespace McpGrains.Grains.Sessions;

/// <summary>
/// The persisted state of one session grain. Property names and [Id]s are a stored contract: never rename or renumber.
/// Every secret in it is ciphertext from <see cref="McpGrains.Security.ISecretProtector"/>.
/// </summary>
[GenerateSerializer, Alias("McpGrains.McpSessionState")]
public sealed class McpSessionState
{
    [Id(0)] public ConnectionStatus Status { get; set; } = ConnectionStatus.NotConnected;

    [Id(1)] public PendingAuthorization? Pending { get; set; }

    [Id(2)] public TokenSet? Tokens { get; set; }

    [Id(3)] public SessionError? LastError { get; set; }

    [Id(4)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Binding mode host-verification: tokens obtained by a callback, not usable until the host app confirms.</summary>
    [Id(5)] public UnconfirmedAuthorization? Unconfirmed { get; set; }

    /// <summary>The connection's DPoP private key (RFC 9449), encrypted under the session's data key; null without DPoP.</summary>
    [Id(6)] public byte[]? ProtectedDpopKey { get; set; }
}
