using McpGrains.OAuth.Tests.Infrastructure;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace McpGrains.OAuth.Tests;

/// <summary>
/// The RFC 9728 / RFC 8414 metadata client: well-known URLs, which documents are fetched in which order, what is
/// validated, and how failures map. One loopback server is the resource and the authorization server.
/// </summary>
public sealed class OAuthMetadataClientTests : IClassFixture<LoopbackServer>, IAsyncLifetime
{
    private readonly LoopbackServer _server;
    private readonly ServiceProvider _services = OAuthTestServices.Create();

    public OAuthMetadataClientTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    private OAuthMetadataClient Client => _services.GetRequiredService<OAuthMetadataClient>();

    private Uri McpUrl => new(_server.Url("/mcp"));

    private string Origin => _server.Url(string.Empty);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task FindProtectedResourceMetadataAsync_TriesPathInsertedThenRoot()
    {
        _server.MapPrm("/.well-known/oauth-protected-resource", Origin);

        var prm = await Client.FindProtectedResourceMetadataAsync(McpUrl, CancellationToken.None);

        Assert.Equal(_server.Url("/mcp"), prm!.Resource);
        Assert.Equal(["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task FindProtectedResourceMetadataAsync_PathInsertedFound_RootNotRequested()
    {
        _server.MapPrm("/.well-known/oauth-protected-resource/mcp", Origin);

        await Client.FindProtectedResourceMetadataAsync(McpUrl, CancellationToken.None);

        Assert.DoesNotContain(_server.Requests, r => r.Path == "/.well-known/oauth-protected-resource");
    }

    [Fact]
    public async Task FindProtectedResourceMetadataAsync_NoneAnswers2xx_Null()
    {
        _server.MapStatus("/.well-known/oauth-protected-resource/mcp", 500);

        Assert.Null(await Client.FindProtectedResourceMetadataAsync(McpUrl, CancellationToken.None));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task FindProtectedResourceMetadataAsync_MalformedDocument_DiscoveryFailed_RootNotTried()
    {
        _server.MapJson("/.well-known/oauth-protected-resource/mcp", """{"authorization_servers":["https://as"]}""");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.FindProtectedResourceMetadataAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("no 'resource'", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetProtectedResourceMetadataAsync_ReadsTheDocumentIntoTheSdkType()
    {
        _server.MapJson("/custom/prm", $$"""
            {"resource":"{{_server.Url("/mcp")}}","authorization_servers":["{{Origin}}","https://other.example.com"],
             "scopes_supported":["a","b"],"bearer_methods_supported":["header"],"resource_name":"Files",
             "resource_documentation":"https://docs.example.com"}
            """);

        var prm = await Client.GetProtectedResourceMetadataAsync(new Uri(_server.Url("/custom/prm")), CancellationToken.None);

        Assert.Equal(_server.Url("/mcp"), prm.Resource);
        Assert.Equal([Origin, "https://other.example.com"], prm.AuthorizationServers);
        Assert.Equal(["a", "b"], prm.ScopesSupported);
        Assert.Equal(["header"], prm.BearerMethodsSupported);
        Assert.Equal("Files", prm.ResourceName);
        Assert.Equal("https://docs.example.com", prm.ResourceDocumentation);
        Assert.Equal("application/json", Assert.Single(_server.Requests).Header("Accept"));
    }

    [Fact]
    public async Task GetProtectedResourceMetadataAsync_AbsentLists_AreEmpty()
    {
        _server.MapJson("/custom/prm", """{"resource":"https://mcp.example.com/mcp"}""");

        var prm = await Client.GetProtectedResourceMetadataAsync(new Uri(_server.Url("/custom/prm")), CancellationToken.None);

        Assert.Empty(prm.AuthorizationServers);
        Assert.Empty(prm.ScopesSupported);
        Assert.Empty(prm.BearerMethodsSupported);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(503)]
    public async Task GetProtectedResourceMetadataAsync_Not2xx_DiscoveryFailed(int status)
    {
        _server.MapStatus("/custom/prm", status);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetProtectedResourceMetadataAsync(new Uri(_server.Url("/custom/prm")), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains($"answered {status}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProtectedResourceMetadataAsync_Oversized_DiscoveryFailed()
    {
        _server.MapJson("/custom/prm", "{\"resource\":\"https://x\",\"pad\":\"" + new string('a', 300 * 1024) + "\"}");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetProtectedResourceMetadataAsync(new Uri(_server.Url("/custom/prm")), CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("too large", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_IssuerWithPath_TriesThreeUrlsInOrder()
    {
        var issuer = _server.Url("/tenant1");
        _server.MapAsMetadata("/tenant1/.well-known/openid-configuration", issuer);

        var metadata = await Client.GetAuthorizationServerMetadataAsync(issuer, CancellationToken.None);

        Assert.Equal(issuer, metadata.Issuer);
        Assert.Equal(
            ["/.well-known/oauth-authorization-server/tenant1", "/.well-known/openid-configuration/tenant1", "/tenant1/.well-known/openid-configuration"],
            _server.AsMetadataPaths());
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_IssuerWithPath_FirstHitWins()
    {
        var issuer = _server.Url("/tenant1");
        _server.MapAsMetadata("/.well-known/oauth-authorization-server/tenant1", issuer);
        _server.MapAsMetadata("/tenant1/.well-known/openid-configuration", issuer);

        await Client.GetAuthorizationServerMetadataAsync(issuer, CancellationToken.None);

        Assert.Equal(["/.well-known/oauth-authorization-server/tenant1"], _server.AsMetadataPaths());
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_IssuerWithoutPath_TriesOAuthThenOpenIdConfiguration()
    {
        _server.MapAsMetadata("/.well-known/openid-configuration", Origin);

        var metadata = await Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None);

        Assert.Equal(Origin, metadata.Issuer);
        Assert.Equal(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"], _server.AsMetadataPaths());
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_IssuerMismatch_Refused()
    {
        _server.MapAsMetadata("/.well-known/oauth-authorization-server", Origin + "/");
        _server.MapAsMetadata("/.well-known/openid-configuration", "https://evil.example.com");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("is not the expected issuer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://evil.example.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_UnparseableDocumentSkipped_NextOneUsed()
    {
        _server.MapJson("/.well-known/oauth-authorization-server", "<html>not metadata</html>");
        _server.MapAsMetadata("/.well-known/openid-configuration", Origin);

        var metadata = await Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None);

        Assert.Equal(Origin + "/as/token", metadata.TokenEndpoint);
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_AdvertisedFlags_Surfaced()
    {
        _server.MapJson("/.well-known/oauth-authorization-server", $$"""
            {"issuer":"{{Origin}}","authorization_endpoint":"{{Origin}}/as/authorize","token_endpoint":"{{Origin}}/as/token",
             "code_challenge_methods_supported":["S256"],"client_id_metadata_document_supported":true,"dpop_signing_alg_values_supported":["ES256"]}
            """);

        var metadata = await Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None);

        Assert.True(metadata.ClientIdMetadataDocumentSupported);
        Assert.Equal(["ES256"], metadata.DpopSigningAlgValuesSupported);
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_NoneFound_DiscoveryFailed_5xxSkippedLikeMissing()
    {
        _server.MapStatus("/.well-known/oauth-authorization-server", 503);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("No authorization server metadata found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.AsMetadataPaths().Count);
    }

    [Fact]
    public async Task GetAuthorizationServerMetadataAsync_MissingTokenEndpoint_DiscoveryFailed()
    {
        _server.MapJson("/.well-known/oauth-authorization-server", $$"""{"issuer":"{{Origin}}","authorization_endpoint":"{{Origin}}/a","token_endpoint":"/relative"}""");

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetAuthorizationServerMetadataAsync(Origin, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains("lacks an absolute authorization_endpoint or token_endpoint", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("https://as.example.com/?tenant=1")]
    [InlineData("https://as.example.com/#x")]
    public async Task GetAuthorizationServerMetadataAsync_IssuerNotAPlainUrl_RefusedWithoutRequest(string issuer)
    {
        var ex = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetAuthorizationServerMetadataAsync(issuer, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task FindAuthorizationServerMetadataAtAsync_404_Null_Else_AsPublished()
    {
        var url = new Uri(_server.Url("/.well-known/oauth-authorization-server"));

        Assert.Null(await Client.FindAuthorizationServerMetadataAtAsync(url, CancellationToken.None));

        _server.MapAsMetadata("/.well-known/oauth-authorization-server", "https://elsewhere.example.com/oauth");
        var metadata = await Client.FindAuthorizationServerMetadataAtAsync(url, CancellationToken.None);

        Assert.Equal("https://elsewhere.example.com/oauth", metadata!.Issuer);
    }

    [Theory]
    [InlineData(403, "discovery_failed")]
    [InlineData(503, "upstream_unavailable")]
    public async Task FindAuthorizationServerMetadataAtAsync_OtherAnswers_Throw(int status, string expected)
    {
        _server.MapStatus("/.well-known/oauth-authorization-server", status);

        var ex = await Assert.ThrowsAsync<OAuthClientException>(() =>
            Client.FindAuthorizationServerMetadataAtAsync(new Uri(_server.Url("/.well-known/oauth-authorization-server")), CancellationToken.None));

        Assert.Equal(expected, ex.ErrorCode);
    }

    [Fact]
    public async Task Fetches_Unreachable_UpstreamUnavailable_AndRefused_DiscoveryFailed()
    {
        await using var guarded = OAuthTestServices.Create(allowInsecureLoopback: false);
        var unreachable = new Uri($"http://127.0.0.1:{FreePorts.Next()}/prm");

        var down = await Assert.ThrowsAsync<OAuthClientException>(() => Client.GetProtectedResourceMetadataAsync(unreachable, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<OAuthClientException>(() =>
            guarded.GetRequiredService<OAuthMetadataClient>().FindProtectedResourceMetadataAsync(McpUrl, CancellationToken.None));

        Assert.Equal(SessionErrorCodes.UpstreamUnavailable, down.ErrorCode);
        Assert.Equal(SessionErrorCodes.DiscoveryFailed, refused.ErrorCode);
        Assert.Contains("refused", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void GetProtectedResourceMetadataUrls_RootMcpUrl_OnlyRoot()
    {
        var urls = OAuthMetadataClient.GetProtectedResourceMetadataUrls(new Uri("https://mcp.example.com"));

        Assert.Equal([new Uri("https://mcp.example.com/.well-known/oauth-protected-resource")], urls);
    }

    [Fact]
    public void GetProtectedResourceMetadataUrls_PathAndQuery_InsertedAfterTheWellKnownPath()
    {
        var urls = OAuthMetadataClient.GetProtectedResourceMetadataUrls(new Uri("https://mcp.example.com:8443/api/mcp?tenant=1"));

        Assert.Equal(
            [new Uri("https://mcp.example.com:8443/.well-known/oauth-protected-resource/api/mcp?tenant=1"), new Uri("https://mcp.example.com:8443/.well-known/oauth-protected-resource")],
            urls);
    }

    [Fact]
    public void GetAuthorizationServerMetadataUrls_TrailingSlashOfTheIssuerPath_Ignored()
    {
        Assert.Equal(
            OAuthMetadataClient.GetAuthorizationServerMetadataUrls(new Uri("https://as.example.com/tenant1")),
            OAuthMetadataClient.GetAuthorizationServerMetadataUrls(new Uri("https://as.example.com/tenant1/")));
        Assert.Equal(2, OAuthMetadataClient.GetAuthorizationServerMetadataUrls(new Uri("https://as.example.com/")).Count);
    }
}
