using McpGrains.OAuth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>
/// MCP's rules over the metadata: the resource must be the MCP server's, the 2025-03-26 fallback to its origin, PKCE
/// S256, discovery from a challenge met on a real request. One loopback server plays the MCP server, the PRM host and
/// the authorization server.
/// </summary>
public sealed class McpAuthorizationDiscoveryTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public McpAuthorizationDiscoveryTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private McpAuthorizationDiscovery Discovery => _services.GetRequiredService<McpAuthorizationDiscovery>();

    private Uri McpUrl => new(_server.Url("/mcp"));

    private string Origin => _server.Url(string.Empty);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task DiscoverAsync_PrmResourceMismatch_Refused()
    {
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-protected-resource/mcp", $$"""{"resource":"{{_server.Url("/other")}}","authorization_servers":["{{Origin}}"]}""");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains(_server.Url("/other"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Url("/mcp"), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Path.Contains("oauth-authorization-server", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public async Task DiscoverAsync_RootPrmWithOriginResource_AcceptedAndResourceIsPrmValue(string suffix)
    {
        // auth/metadata-var2: PRM only at the root well-known, resource = the origin, issuer with a path.
        var issuer = _server.Url("/tenant1");
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-protected-resource", $$"""{"resource":"{{Origin + suffix}}","authorization_servers":["{{issuer}}"]}""");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server/tenant1", issuer);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.Equal(Origin + suffix, result.Resource); // exactly as published
        Assert.Equal(Origin + suffix, result.ResourceMetadata!.Resource);
        Assert.Equal(issuer, result.AuthorizationServer!.Issuer);
        Assert.Equal(["/.well-known/oauth-authorization-server/tenant1"], _server.AsMetadataPaths());
    }

    [Fact]
    public async Task DiscoverAsync_PrmResourceIsPathPrefix_AcceptedAndResourceIsPrmValue()
    {
        var mcpUrl = new Uri(_server.Url("/api/v1/mcp"));
        _server.MapStatus("POST /api/v1/mcp", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-protected-resource/api/v1/mcp", $$"""{"resource":"{{_server.Url("/api")}}","authorization_servers":["{{Origin}}"]}""");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverAsync(mcpUrl, CancellationToken.None);

        Assert.Equal(_server.Url("/api"), result.Resource);
    }

    [Fact]
    public async Task DiscoverAsync_PrmResourceIsNotSegmentPrefix_Refused()
    {
        var mcpUrl = new Uri(_server.Url("/mcpx"));
        _server.MapStatus("POST /mcpx", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-protected-resource/mcpx", $$"""{"resource":"{{_server.Url("/mcp")}}","authorization_servers":["{{Origin}}"]}""");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(mcpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Empty(_server.AsMetadataPaths());
    }

    [Theory]
    [InlineData("https://evil.example.com/mcp")]
    [InlineData("https://evil.example.com/")]
    [InlineData("http://localhost:{port}/")]
    [InlineData("http://127.0.0.1:1/")]
    [InlineData("https://127.0.0.1:{port}/")]
    public async Task DiscoverAsync_PrmResourceOnAnotherOrigin_Refused_NoAuthorizationServerContacted(string resource)
    {
        // auth/resource-mismatch: still refused, even when the other origin is a prefix-shaped URL.
        resource = resource.Replace("{port}", _server.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-protected-resource/mcp", $$"""{"resource":"{{resource}}","authorization_servers":["{{Origin}}"]}""");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Empty(_server.AsMetadataPaths());
    }

    [Fact]
    public async Task DiscoverAsync_NoPrm_2025_03_26_UsesOriginMetadataDiscardingPath()
    {
        _server.MapStatus("POST /api/v1/mcp", 401, "Bearer");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverAsync(new Uri(_server.Url("/api/v1/mcp")), CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.Null(result.ResourceMetadata);
        Assert.False(result.UsesDefaultEndpoints);
        Assert.Equal(Origin + "/as/authorize", result.AuthorizationServer!.AuthorizationEndpoint);
        Assert.Equal(_server.Url("/api/v1/mcp"), result.Resource);
    }

    [Fact]
    public async Task DiscoverAsync_NoPrm_2025_03_26_IssuerWithPathOnSameOrigin_AcceptedAndRecorded()
    {
        // auth/2025-03-26-oauth-metadata-backcompat: metadata at the origin's well-known names issuer <origin>/oauth.
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapJson("/.well-known/oauth-authorization-server", $$"""
            {"issuer":"{{Origin}}/oauth","authorization_endpoint":"{{Origin}}/oauth/authorize","token_endpoint":"{{Origin}}/oauth/token",
             "registration_endpoint":"{{Origin}}/oauth/register","code_challenge_methods_supported":["S256"],
             "authorization_response_iss_parameter_supported":true}
            """);

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        var server = result.AuthorizationServer!;
        Assert.False(result.UsesDefaultEndpoints);
        Assert.Null(result.ResourceMetadata);
        Assert.Equal(Origin + "/oauth", server.Issuer);
        Assert.Equal(Origin + "/oauth/authorize", server.AuthorizationEndpoint);
        Assert.Equal(Origin + "/oauth/register", server.RegistrationEndpoint);
        Assert.Equal(IssuerCheck.Valid, IssuerValidator.Validate(server.Issuer, server.AuthorizationResponseIssParameterSupported, Origin + "/oauth"));
        Assert.Equal(IssuerCheck.Mismatch, IssuerValidator.Validate(server.Issuer, server.AuthorizationResponseIssParameterSupported, Origin));
        Assert.Equal(["/.well-known/oauth-authorization-server"], _server.AsMetadataPaths());
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://evil.example.com/oauth")]
    [InlineData("http://localhost:{port}/oauth")]
    [InlineData("http://127.0.0.1:1/oauth")]
    [InlineData("{origin}/oauth?x=1")]
    public async Task DiscoverAsync_NoPrm_2025_03_26_IssuerOnAnotherOrigin_Refused(string issuer)
    {
        issuer = issuer
            .Replace("{port}", _server.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{origin}", Origin, StringComparison.Ordinal);
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", issuer);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("not on the MCP server's origin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_UsesChallengeUrlAndScope_WithoutProbe()
    {
        _server.MapPrm("/custom/prm", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverFromChallengeAsync(
            McpUrl, $"Bearer scope=\"mcp:basic\", resource_metadata=\"{_server.Url("/custom/prm")}\"", CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.Equal("mcp:basic", result.ChallengeScope);
        Assert.Equal(_server.Url("/mcp"), result.Resource);
        Assert.Equal(Origin, result.AuthorizationServer!.Issuer);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/mcp");
        Assert.Equal(["/custom/prm", "/.well-known/oauth-authorization-server"], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_InsufficientScope403Challenge_ScopeReturned()
    {
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverFromChallengeAsync(
            McpUrl,
            $"Bearer error=\"insufficient_scope\", scope=\"mcp:basic mcp:write\", resource_metadata=\"{_server.Url("/.well-known/oauth-protected-resource/mcp")}\", error_description=\"more\"",
            CancellationToken.None);

        Assert.Equal("mcp:basic mcp:write", result.ChallengeScope);
        Assert.Equal(["mcp:basic", "mcp:write"], ScopeSelector.Union([], result.ChallengeScope));
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/mcp");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer realm=\"mcp\"")]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("")]
    public async Task DiscoverFromChallengeAsync_NoResourceMetadata_TriesPathInsertedThenRootPrm(string header)
    {
        _server.MapPrm("/.well-known/oauth-protected-resource", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin);

        var result = await Discovery.DiscoverFromChallengeAsync(McpUrl, header, CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.Null(result.ChallengeScope);
        var prmPaths = _server.Requests.Select(r => r.Path).Where(p => p.StartsWith("/.well-known/oauth-protected-resource", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"], prmPaths);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/mcp");
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_NoPrm_FallsBackTo2025_03_26()
    {
        var result = await Discovery.DiscoverFromChallengeAsync(McpUrl, "Bearer scope=\"a\"", CancellationToken.None);

        Assert.True(result.RequiresAuthorization);
        Assert.True(result.UsesDefaultEndpoints);
        Assert.Equal("a", result.ChallengeScope);
        Assert.Equal(Origin + "/authorize", result.AuthorizationServer!.AuthorizationEndpoint);
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_ResourceMismatch_Refused()
    {
        _server.MapJson("/custom/prm", $$"""{"resource":"https://evil.example.com/mcp","authorization_servers":["{{Origin}}"]}""");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() =>
            Discovery.DiscoverFromChallengeAsync(McpUrl, $"Bearer resource_metadata=\"{_server.Url("/custom/prm")}\"", CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Empty(_server.AsMetadataPaths());
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_ChallengeUrlMissing_DiscoveryFailed()
    {
        var ex = await Assert.ThrowsAsync<OAuthClientException>(() =>
            Discovery.DiscoverFromChallengeAsync(McpUrl, $"Bearer resource_metadata=\"{_server.Url("/missing")}\"", CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_S256NotAdvertised_PkceNotSupported()
    {
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin, codeChallengeMethods: null);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverFromChallengeAsync(McpUrl, "Bearer", CancellationToken.None));

        Assert.Equal(SessionErrorCodes.PkceNotSupported, ex.ErrorCode);
    }

    [Fact]
    public async Task DiscoverFromChallengeAsync_RelativeUrl_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Discovery.DiscoverFromChallengeAsync(new Uri("/mcp", UriKind.Relative), "Bearer", CancellationToken.None));
    }

    [Fact]
    public async Task DiscoverAsync_NoPrmAndNoMetadata_FallsBackToDefaultEndpoints()
    {
        _server.MapStatus("POST /mcp", 401, "Bearer");

        var result = await Discovery.DiscoverAsync(McpUrl, CancellationToken.None);

        var server = result.AuthorizationServer!;
        Assert.True(result.UsesDefaultEndpoints);
        Assert.Equal(Origin, server.Issuer);
        Assert.Equal(Origin + "/authorize", server.AuthorizationEndpoint);
        Assert.Equal(Origin + "/token", server.TokenEndpoint);
        Assert.Equal(Origin + "/register", server.RegistrationEndpoint);
        Assert.True(Pkce.IsS256Supported(server));
    }

    [Fact]
    public async Task DiscoverAsync_S256NotAdvertised_RefusedWithPkceNotSupported()
    {
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin, codeChallengeMethods: "[\"plain\"]");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.PkceNotSupported, ex.ErrorCode);
        Assert.Contains("S256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_CodeChallengeMethodsMissing_RefusedWithPkceNotSupported()
    {
        _server.MapStatus("POST /mcp", 401, "Bearer");
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin, codeChallengeMethods: null);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Discovery.DiscoverAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.PkceNotSupported, ex.ErrorCode);
    }
}
