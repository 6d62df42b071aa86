namespace McpGrains.Grains.Servers;

/// <summary>McpGrains' own access token for a server (client credentials, workload identity), encrypted under the key ring.</summary>
[GenerateSerializer, Alias("McpGrains.SharedToken")]
public sealed class SharedToken
{
    [Id(0)] public byte[] ProtectedAccessToken { get; set; } = [];

    /// <summary>Null when the authorization server did not say (used until the server refuses it).</summary>
    [Id(1)] public DateTimeOffset? ExpiresAt { get; set; }

    [Id(2)] public DateTimeOffset ObtainedAt { get; set; }

    /// <summary>The issuer that issued it: a token from another issuer is never sent.</summary>
    [Id(3)] public string Issuer { get; set; } = "";

    [Id(4)] public List<string> Scopes { get; set; } = [];

    public override string ToString() => $"SharedToken {{ Issuer = {Issuer}, ExpiresAt = {ExpiresAt:O} }}";
}
