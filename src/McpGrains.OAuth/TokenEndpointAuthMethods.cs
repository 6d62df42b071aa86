namespace McpGrains.OAuth;

/// <summary>The token endpoint client authentication methods McpGrains implements.</summary>
public static class TokenEndpointAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string None = "none";

    /// <summary>RFC 7523 section 2.2: a JWT signed with the client's private key (configured, never registered dynamically).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>
    /// Prefers client_secret_basic, then client_secret_post, then none; client_secret_basic when the list is absent
    /// (the RFC 8414 default). Null when the server supports none of the three.
    /// </summary>
    public static string? Choose(IReadOnlyList<string>? supported)
    {
        if (supported is null)
        {
            return ClientSecretBasic;
        }

        foreach (var method in (string[])[ClientSecretBasic, ClientSecretPost, None])
        {
            if (supported.Contains(method, StringComparer.Ordinal))
            {
                return method;
            }
        }

        return null;
    }
}
