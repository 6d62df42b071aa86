using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;

namespace McpGrains.Grains.Grants;

/// <summary>What a token request needs from the configuration besides the server's authorization: keys and assertions.</summary>
internal static class GrantCredentials
{
    /// <summary>The token endpoint context of a server's configured (or registered) client, secrets in plain text.</summary>
    public static TokenEndpointContext CreateContext(ServerAuthorization authorization, UpstreamOAuthOptions oauth, ISecretProtector protector, string serverId) =>
        WithConfiguredKey(new TokenEndpointContext(
            authorization.TokenEndpoint,
            authorization.ClientId,
            authorization.ProtectedClientSecret is null ? null : protector.Unprotect(authorization.ProtectedClientSecret, SecretContexts.ClientSecret(serverId)),
            authorization.TokenEndpointAuthMethod,
            authorization.SendResource ? authorization.Resource : null), authorization, oauth);

    /// <summary>Adds the issuer (the assertion audience) and, for <c>private_key_jwt</c>, the configured private key.</summary>
    public static TokenEndpointContext WithConfiguredKey(TokenEndpointContext context, ServerAuthorization authorization, UpstreamOAuthOptions oauth) =>
        context with
        {
            Issuer = authorization.Issuer,
            PrivateKeyPem = context.AuthMethod == TokenEndpointAuthMethods.PrivateKeyJwt ? ReadPrivateKey(oauth) : null,
            SigningAlgorithm = oauth.SigningAlgorithm,
        };

    /// <summary>The workload identity JWT: configured, or read from its file now (platforms rotate it).</summary>
    public static string ReadAssertion(UpstreamOAuthOptions oauth) =>
        oauth.Assertion ?? (oauth.AssertionFile is { } file ? File.ReadAllText(file).Trim() : throw new IOException("No workload identity assertion is configured."));

    private static string? ReadPrivateKey(UpstreamOAuthOptions oauth) =>
        oauth.PrivateKey ?? (oauth.PrivateKeyFile is { } file ? File.ReadAllText(file) : null);
}
