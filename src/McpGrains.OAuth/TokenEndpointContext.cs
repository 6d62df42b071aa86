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
    /// <summary>The authorization server's issuer identifier: the audience of a <c>private_key_jwt</c> assertion.</summary>
    public string? Issuer { get; init; }

    /// <summary>The PEM private key for <c>private_key_jwt</c>. A secret: redacted by <see cref="ToString"/>.</summary>
    public string? PrivateKeyPem { get; init; }

    /// <summary>The JWS algorithm of the <c>private_key_jwt</c> assertion (null: ES256).</summary>
    public string? SigningAlgorithm { get; init; }

    /// <summary>When set, every token request carries a DPoP proof of this key (RFC 9449 section 5).</summary>
    public DpopKey? Dpop { get; init; }

    public override string ToString() =>
        $"TokenEndpointContext {{ TokenEndpoint = {SafeUrl.Format(TokenEndpoint)}, ClientId = {ClientId}, "
        + $"ClientSecret = {(ClientSecret is null ? "(none)" : "[redacted]")}, AuthMethod = {AuthMethod}, Resource = {Resource}, Dpop = {Dpop is not null} }}";
}
