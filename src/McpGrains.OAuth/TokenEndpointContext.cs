namespace McpGrains.OAuth;

/// <summary>Where and how to call a token endpoint. <see cref="ClientSecret"/> is redacted by <see cref="ToString"/>.</summary>
/// <param name="AuthMethod">client_secret_basic, client_secret_post or none (<see cref="TokenEndpointAuthMethods"/>).</param>
/// <param name="Resource">RFC 8707 resource sent on token and refresh requests when non-null.</param>
public sealed record TokenEndpointContext(
    string TokenEndpoint,
    string ClientId,
    string? ClientSecret,
    string AuthMethod,
    string? Resource)
{
    public override string ToString() =>
        $"TokenEndpointContext {{ TokenEndpoint = {SafeUrl.Format(TokenEndpoint)}, ClientId = {ClientId}, "
        + $"ClientSecret = {(ClientSecret is null ? "(none)" : "[redacted]")}, AuthMethod = {AuthMethod}, Resource = {Resource} }}";
}
