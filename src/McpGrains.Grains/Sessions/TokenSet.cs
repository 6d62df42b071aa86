namespace McpGrains.Grains.Sessions;

/// <summary>The tokens held for one session, encrypted, and what they were issued for.</summary>
[GenerateSerializer, Alias("McpGrains.TokenSet")]
public sealed class TokenSet
{
    [Id(0)] public byte[] ProtectedAccessToken { get; set; } = [];

    [Id(1)] public byte[]? ProtectedRefreshToken { get; set; }

    /// <summary>Null when the authorization server did not say (treated as not expiring until a 401 says otherwise).</summary>
    [Id(2)] public DateTimeOffset? ExpiresAt { get; set; }

    [Id(3)] public List<string> Scopes { get; set; } = [];

    [Id(4)] public string Issuer { get; set; } = "";

    [Id(5)] public string ClientId { get; set; } = "";

    [Id(6)] public string Resource { get; set; } = "";

    [Id(7)] public DateTimeOffset ObtainedAt { get; set; }

    /// <summary>"DPoP" for a token bound to the session's DPoP key; null for a Bearer token.</summary>
    [Id(8)] public string? TokenType { get; set; }

    public bool IsDpopBound => TokenType == McpGrains.OAuth.TokenClient.DpopTokenType;

    public override string ToString() => $"TokenSet {{ Issuer = {Issuer}, ExpiresAt = {ExpiresAt:O}, HasRefreshToken = {ProtectedRefreshToken is not null}, TokenType = {TokenType ?? "Bearer"} }}";
}
