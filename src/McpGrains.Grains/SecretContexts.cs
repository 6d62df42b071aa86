namespace McpGrains.Grains;

/// <summary>
/// The associated data each stored secret is encrypted under: a ciphertext only decrypts in the slot it was written
/// for, so it cannot be copied into another user's session or another field.
/// </summary>
internal static class SecretContexts
{
    public static string AccessToken(McpSessionKey key) => $"session:{key.Format()}:access_token";

    public static string RefreshToken(McpSessionKey key) => $"session:{key.Format()}:refresh_token";

    public static string CodeVerifier(McpSessionKey key) => $"session:{key.Format()}:code_verifier";

    public static string AuthorizationUrl(McpSessionKey key) => $"session:{key.Format()}:authorization_url";

    public static string SignInLink(McpSessionKey key) => $"session:{key.Format()}:sign_in_link";

    public static string DataKey(McpSessionKey key) => $"session:{key.Format()}:data_key";

    public static string ClientSecret(string serverId) => $"server:{serverId}:client_secret";

    public static string SharedAccessToken(string serverId) => $"server:{serverId}:shared_access_token";

    public static string DpopKey(McpSessionKey key) => $"session:{key.Format()}:dpop_key";
}
