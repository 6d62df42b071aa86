namespace McpGrains.Grains.Servers;

/// <summary>A dynamic client registration, bound to the issuer and redirect URI it was made for.</summary>
[GenerateSerializer, Alias("McpGrains.ClientRegistrationRecord")]
public sealed class ClientRegistrationRecord
{
    [Id(0)] public string ClientId { get; set; } = "";

    [Id(1)] public byte[]? ProtectedClientSecret { get; set; }

    [Id(2)] public string TokenEndpointAuthMethod { get; set; } = "";

    [Id(3)] public string Issuer { get; set; } = "";

    [Id(4)] public string RedirectUri { get; set; } = "";

    [Id(5)] public DateTimeOffset RegisteredAt { get; set; }

    public override string ToString() => $"ClientRegistrationRecord {{ ClientId = {ClientId}, Issuer = {Issuer} }}";
}
