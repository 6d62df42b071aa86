namespace McpGrains.OAuth;

/// <summary>A registered client. <see cref="ClientSecret"/> is a secret and is redacted by <see cref="ToString"/>.</summary>
/// <param name="ClientSecretExpiresAt">Null when the secret does not expire (RFC 7591 <c>client_secret_expires_at</c> 0 or absent).</param>
public sealed record ClientCredentials(
    string ClientId,
    string? ClientSecret,
    string TokenEndpointAuthMethod,
    DateTimeOffset? ClientSecretExpiresAt)
{
    public override string ToString() =>
        $"ClientCredentials {{ ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "(none)" : "[redacted]")}, "
        + $"TokenEndpointAuthMethod = {TokenEndpointAuthMethod}, ClientSecretExpiresAt = {ClientSecretExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "(never)"} }}";
}
