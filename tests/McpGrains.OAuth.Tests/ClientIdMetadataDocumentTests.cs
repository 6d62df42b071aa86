using System.Text.Json;
using McpGrains.OAuth.Tests.Infrastructure;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class ClientIdMetadataDocumentTests : IClassFixture<LoopbackServer>
{
    private const string ConformanceClientId = "https://conformance-test.local/client-metadata.json";

    private readonly LoopbackServer _server;

    public ClientIdMetadataDocumentTests(LoopbackServer server)
    {
        _server = server;
        _server.Reset();
    }

    [Fact]
    public void Create_HasEveryRequiredMember()
    {
        var json = ClientIdMetadataDocument.Create(ConformanceClientId, "McpGrains", "https://gateway.example.com/oauth/callback");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(ConformanceClientId, root.GetProperty("client_id").GetString());
        Assert.Equal("McpGrains", root.GetProperty("client_name").GetString());
        Assert.Equal(["https://gateway.example.com/oauth/callback"], Strings(root.GetProperty("redirect_uris")));
        Assert.Equal(["authorization_code", "refresh_token"], Strings(root.GetProperty("grant_types")));
        Assert.Equal(["code"], Strings(root.GetProperty("response_types")));
        Assert.Equal("none", root.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("web", root.GetProperty("application_type").GetString());
        Assert.False(root.TryGetProperty("client_secret", out _));
    }

    [Fact]
    public void Create_CarriesOnlyTheDocumentMembers()
    {
        using var document = JsonDocument.Parse(ClientIdMetadataDocument.Create(ConformanceClientId, "McpGrains", "https://gateway.example.com/oauth/callback"));

        Assert.Equal(
            ["application_type", "client_id", "client_name", "grant_types", "redirect_uris", "response_types", "token_endpoint_auth_method"],
            document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_ClientIdIsTheUrlExactly_NotNormalized()
    {
        const string url = "https://Example.COM:443/Clients/../meta.json?v=1";

        using var document = JsonDocument.Parse(ClientIdMetadataDocument.Create(url, "n \"quoted\" <x>", "https://g/cb"));

        Assert.Equal(url, document.RootElement.GetProperty("client_id").GetString());
        Assert.Equal("n \"quoted\" <x>", document.RootElement.GetProperty("client_name").GetString());
    }

    [Theory]
    [InlineData("", "McpGrains", "https://g/cb")]
    [InlineData("https://g/m.json", "", "https://g/cb")]
    [InlineData("https://g/m.json", "McpGrains", "")]
    [InlineData("https://g/m.json", "McpGrains", "/relative/cb")]
    public void Create_MissingOrRelativeArguments_Throw(string clientIdUrl, string clientName, string redirectUri)
    {
        Assert.ThrowsAny<ArgumentException>(() => ClientIdMetadataDocument.Create(clientIdUrl, clientName, redirectUri));
    }

    [Theory]
    [InlineData(ConformanceClientId, false, true)]
    [InlineData("https://gateway.example.com/oauth/client-metadata.json", false, true)]
    [InlineData("https://gateway.example.com/meta?tenant=1", false, true)]
    [InlineData("https://gateway.example.com:8443/m", false, true)]
    [InlineData("https://gateway.example.com/", false, false)]
    [InlineData("https://gateway.example.com", false, false)]
    [InlineData("https://gateway.example.com/m#frag", false, false)]
    [InlineData("https://user:pw@gateway.example.com/m", false, false)]
    [InlineData("https://gateway.example.com/a/../m", false, false)]
    [InlineData("https://gateway.example.com/./m", false, false)]
    [InlineData("https://gateway.example.com/a/%2E%2E/m", false, false)]
    [InlineData("http://gateway.example.com/m", false, false)]
    [InlineData("http://gateway.example.com/m", true, false)]
    [InlineData("http://127.0.0.1:5000/oauth/client-metadata.json", false, false)]
    [InlineData("http://127.0.0.1:5000/oauth/client-metadata.json", true, true)]
    [InlineData("http://localhost:5000/m", true, true)]
    [InlineData("http://[::1]:5000/m", true, true)]
    [InlineData("http://127.0.0.1:5000/", true, false)]
    [InlineData("ftp://gateway.example.com/m", true, false)]
    [InlineData("/oauth/client-metadata.json", true, false)]
    [InlineData("not a url", true, false)]
    [InlineData("", true, false)]
    public void IsValidClientIdUrl_Table(string url, bool allowInsecureLoopback, bool expected)
    {
        Assert.Equal(expected, ClientIdMetadataDocument.IsValidClientIdUrl(url, allowInsecureLoopback));
    }

    [Fact]
    public void IsValidClientIdUrl_DefaultsToHttpsOnly()
    {
        Assert.True(ClientIdMetadataDocument.IsValidClientIdUrl(ConformanceClientId));
        Assert.False(ClientIdMetadataDocument.IsValidClientIdUrl("http://127.0.0.1/m"));
    }

    [Fact]
    public async Task Document_ServedOverHttp_RoundTripsWithClientIdEqualToItsUrl()
    {
        var url = _server.Url("/oauth/client-metadata.json");
        Assert.True(ClientIdMetadataDocument.IsValidClientIdUrl(url, allowInsecureLoopback: true));
        _server.MapJson("GET /oauth/client-metadata.json", ClientIdMetadataDocument.Create(url, "McpGrains", _server.Url("/oauth/callback")));

        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(url));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(url, document.RootElement.GetProperty("client_id").GetString());
        Assert.Equal([_server.Url("/oauth/callback")], Strings(document.RootElement.GetProperty("redirect_uris")));
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();
}
