namespace McpGrains.Configuration;

/// <summary>
/// <c>McpGrains:HostApps:&lt;name&gt;:Oidc</c>: the organization's OpenID Connect provider a browser signs in with
/// before a sign-in link of this host app shows its confirmation page (binding mode <see cref="SignInBindingModes.Oidc"/>).
/// </summary>
public sealed class HostAppOidcOptions
{
    public const string DefaultClaim = "email";
    public const string DefaultIdentityHeader = "X-User-Email";
    public const string DefaultScopes = "openid email";

    /// <summary>The provider's issuer; its discovery document is <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim of the id_token that must equal the identity the host app named (default <c>email</c>).</summary>
    public string Claim { get; set; } = DefaultClaim;

    /// <summary>The header on <c>/mcp</c> and the REST tool endpoints carrying that identity (default <c>X-User-Email</c>).</summary>
    public string IdentityHeader { get; set; } = DefaultIdentityHeader;

    /// <summary>Scopes to request, space-separated (default <c>openid email</c>).</summary>
    public string Scopes { get; set; } = DefaultScopes;

    public override string ToString() => $"HostAppOidcOptions {{ Authority = {Authority}, ClientId = {ClientId}, ClientSecret = ***, Claim = {Claim} }}";
}
