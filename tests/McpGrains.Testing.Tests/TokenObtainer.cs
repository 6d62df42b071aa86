namespace McpGrains.Testing.Tests;

/// <summary>Gets a real access token from a <see cref="TestAuthorizationServer"/> through the browser flow.</summary>
internal static class TokenObtainer
{
    public const string ClientId = "gateway";
    public const string RedirectUri = "http://127.0.0.1:1/oauth/callback";

    public static TestAuthorizationServerOptions OptionsWithGatewayClient() => new()
    {
        PreRegisteredClients = [new PreRegisteredClient { ClientId = ClientId, RedirectUris = [RedirectUri] }],
    };

    public static async Task<string> ObtainAccessTokenAsync(
        TestAuthorizationServer server, string? resource, string user = "test-user", string? scope = null)
    {
        using var browser = new TestBrowser();
        using var client = new OAuthTestClient(ClientId, null, "none", RedirectUri);
        var authorization = await client.AuthorizeAsync(browser, server.AuthorizationEndpoint, user, scope, resource);
        var tokens = await client.RedeemCodeAsync(server.TokenEndpoint, authorization.Code, authorization.Verifier, resource);
        return tokens.AccessToken;
    }
}
