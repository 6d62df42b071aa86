namespace McpGrains.Grains.Sessions;

/// <summary>
/// Binding mode host-verification: the tokens a callback obtained, held until the host app confirms the flow for the
/// session's user (then they become <see cref="McpSessionState.Tokens"/>) or until they are discarded and revoked (another
/// user confirmed, or nobody in time). Encrypted like the session's other tokens; no token use ever reads them. The
/// confirmation id is kept only as a SHA-256 hash.
/// </summary>
[GenerateSerializer, Alias("McpGrains.UnconfirmedAuthorization")]
public sealed class UnconfirmedAuthorization
{
    [Id(0)] public byte[] ConfirmationIdHash { get; set; } = [];

    [Id(1)] public TokenSet Tokens { get; set; } = new();

    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(3)] public string? ReturnUrl { get; set; }

    [Id(4)] public string ElicitationId { get; set; } = "";

    /// <summary>The status to return to when the tokens are discarded and the session holds none.</summary>
    [Id(5)] public ConnectionStatus PreviousStatus { get; set; }

    public override string ToString() => $"UnconfirmedAuthorization {{ ExpiresAt = {ExpiresAt:O} }}";
}
