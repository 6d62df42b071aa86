using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class AuthorizationUrlBuilderTests
{
    private static AuthorizationUrlParameters Parameters(string endpoint, IReadOnlyList<string>? scopes = null, string? resource = "https://mcp.example.com/mcp", bool allowLoopback = false) =>
        new(endpoint, "client 1", "https://gw.example.com/oauth/callback", scopes ?? ["files:read", "offline_access"], "st&ate", "challenge-value", resource, allowLoopback);

    [Fact]
    public void Build_ComposesAllParameters()
    {
        var url = new Uri(AuthorizationUrlBuilder.Build(Parameters("https://as.example.com/authorize")));
        var query = QueryHelpers.ParseQuery(url.Query);

        Assert.Equal("https://as.example.com/authorize", url.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("client 1", query["client_id"]);
        Assert.Equal("https://gw.example.com/oauth/callback", query["redirect_uri"]);
        Assert.Equal("files:read offline_access", query["scope"]);
        Assert.Equal("st&ate", query["state"]);
        Assert.Equal("challenge-value", query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("https://mcp.example.com/mcp", query["resource"]);
    }

    [Fact]
    public void Build_EmptyScopesAndNullResource_AreOmitted()
    {
        var url = AuthorizationUrlBuilder.Build(Parameters("https://as.example.com/authorize", scopes: [], resource: null));
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);

        Assert.False(query.ContainsKey("scope"));
        Assert.False(query.ContainsKey("resource"));
    }

    [Fact]
    public void Build_PreservesExistingQueryParameters()
    {
        var url = AuthorizationUrlBuilder.Build(Parameters("https://as.example.com/oauth2/authorize?tenant=t1&p=B2C_1_signin"));
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);

        Assert.StartsWith("https://as.example.com/oauth2/authorize?tenant=t1&p=B2C_1_signin&", url, StringComparison.Ordinal);
        Assert.Equal("t1", query["tenant"]);
        Assert.Equal("code", query["response_type"]);
    }

    [Theory]
    [InlineData("http://as.example.com/authorize")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://as.example.com/authorize")]
    [InlineData("/relative/authorize")]
    public void Build_RefusesNonHttpsEndpoints(string endpoint)
    {
        var ex = Assert.Throws<OAuthClientException>(() => AuthorizationUrlBuilder.Build(Parameters(endpoint, allowLoopback: true)));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
    }

    [Fact]
    public void Build_HttpLoopback_OnlyWithSwitch()
    {
        Assert.Throws<OAuthClientException>(() => AuthorizationUrlBuilder.Build(Parameters("http://127.0.0.1:5000/authorize")));

        var url = AuthorizationUrlBuilder.Build(Parameters("http://127.0.0.1:5000/authorize", allowLoopback: true));

        Assert.StartsWith("http://127.0.0.1:5000/authorize?", url, StringComparison.Ordinal);
        Assert.Equal("code", QueryHelpers.ParseQuery(new Uri(url).Query)["response_type"]);
    }

    [Fact]
    public void Build_ReservedAndNonAsciiCharacters_RoundTrip()
    {
        var parameters = new AuthorizationUrlParameters(
            "https://as.example.com/authorize", "client+1 &=x", "https://gw.example.com/cb?a=1&b=2", ["scope:a/b", "c+d"], "st+a/t=e#%é", "ch_-.~", "https://mcp.example.com/mcp?tenant=a b");

        var query = QueryHelpers.ParseQuery(new Uri(AuthorizationUrlBuilder.Build(parameters)).Query);

        Assert.Equal("client+1 &=x", query["client_id"]);
        Assert.Equal("https://gw.example.com/cb?a=1&b=2", query["redirect_uri"]);
        Assert.Equal("scope:a/b c+d", query["scope"]);
        Assert.Equal("st+a/t=e#%é", query["state"]);
        Assert.Equal("ch_-.~", query["code_challenge"]);
        Assert.Equal("https://mcp.example.com/mcp?tenant=a b", query["resource"]);
    }

    [Fact]
    public void Build_EndpointFragment_IsDropped()
    {
        var url = new Uri(AuthorizationUrlBuilder.Build(Parameters("https://as.example.com/authorize?x=1#frag")));

        Assert.Empty(url.Fragment);
        Assert.Equal("1", QueryHelpers.ParseQuery(url.Query)["x"]);
        Assert.Equal("S256", QueryHelpers.ParseQuery(url.Query)["code_challenge_method"]);
    }

    [Fact]
    public void Parameters_ToString_RedactsState()
    {
        Assert.DoesNotContain("st&ate", Parameters("https://as.example.com/authorize").ToString(), StringComparison.Ordinal);
    }
}
