namespace McpGrains.Testing;

/// <summary>The well-known locations at which <see cref="TestAuthorizationServer"/> serves its metadata.</summary>
[Flags]
public enum AuthorizationServerMetadataEndpoints
{
    None = 0,

    /// <summary><c>/.well-known/oauth-authorization-server{IssuerPath}</c> (RFC 8414, path inserted).</summary>
    OAuthAuthorizationServer = 1,

    /// <summary><c>/.well-known/openid-configuration{IssuerPath}</c> (path inserted).</summary>
    OpenIdConfigurationInserted = 2,

    /// <summary><c>{IssuerPath}/.well-known/openid-configuration</c> (OpenID Connect Discovery, path appended).</summary>
    OpenIdConfigurationAppended = 4,

    All = OAuthAuthorizationServer | OpenIdConfigurationInserted | OpenIdConfigurationAppended,
}
