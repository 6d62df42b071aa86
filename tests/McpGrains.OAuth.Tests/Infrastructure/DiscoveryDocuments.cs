namespace McpGrains.OAuth.Tests.Infrastructure;

/// <summary>The metadata documents the discovery tests serve from one loopback server (MCP server, PRM host and authorization server at once).</summary>
public static class DiscoveryDocuments
{
    /// <summary>A PRM for the server's <c>/mcp</c> naming <paramref name="issuer"/>.</summary>
    public static void MapPrm(this LoopbackServer server, string path, string issuer) => server.MapJson(path, $$"""
        {"resource":"{{server.Url("/mcp")}}","authorization_servers":["{{issuer}}"],"scopes_supported":["https://example/unused"]}
        """);

    /// <summary>Authorization server metadata for <paramref name="issuer"/>, endpoints on the server's origin.</summary>
    public static void MapAsMetadata(this LoopbackServer server, string path, string issuer, string? codeChallengeMethods = "[\"S256\"]")
    {
        var origin = server.Url(string.Empty);
        var pkce = codeChallengeMethods is null ? string.Empty : $",\"code_challenge_methods_supported\":{codeChallengeMethods}";
        server.MapJson(path, $$"""
            {"issuer":"{{issuer}}","authorization_endpoint":"{{origin}}/as/authorize","token_endpoint":"{{origin}}/as/token"{{pkce}}}
            """);
    }

    /// <summary>The paths of the authorization server metadata requests received, in order.</summary>
    public static List<string> AsMetadataPaths(this LoopbackServer server) => server.Requests
        .Select(r => r.Path)
        .Where(p => p.Contains("oauth-authorization-server", StringComparison.Ordinal) || p.Contains("openid-configuration", StringComparison.Ordinal))
        .ToList();
}
