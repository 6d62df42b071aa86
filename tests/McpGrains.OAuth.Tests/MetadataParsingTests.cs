using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class MetadataParsingTests
{
    [Fact]
    public void AuthorizationServerMetadata_Parse_ReadsKnownMembersAndIgnoresUnknown()
    {
        var metadata = AuthorizationServerMetadata.Parse("""
            {"issuer":"https://as.example.com","authorization_endpoint":"https://as.example.com/a","token_endpoint":"https://as.example.com/t",
             "registration_endpoint":"https://as.example.com/r","revocation_endpoint":"https://as.example.com/v",
             "scopes_supported":["a","offline_access", 7],"code_challenge_methods_supported":["S256"],
             "token_endpoint_auth_methods_supported":["none"],"authorization_response_iss_parameter_supported":true,
             "client_id_metadata_document_supported":true,"grant_types_supported":["authorization_code"],
             "response_types_supported":["code"],"x_unknown":{"nested":[1,2,3]}}
            """);

        Assert.Equal("https://as.example.com", metadata.Issuer);
        Assert.Equal("https://as.example.com/r", metadata.RegistrationEndpoint);
        Assert.Equal("https://as.example.com/v", metadata.RevocationEndpoint);
        Assert.Equal(["a", "offline_access"], metadata.ScopesSupported);
        Assert.True(metadata.AuthorizationResponseIssParameterSupported);
        Assert.True(metadata.ClientIdMetadataDocumentSupported);
        Assert.Equal(["none"], metadata.TokenEndpointAuthMethodsSupported);
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("{}", "no 'issuer'")]
    [InlineData("{\"issuer\":42}", "'issuer' must be a string")]
    [InlineData("{\"issuer\":\"https://as\",\"scopes_supported\":\"a b\"}", "'scopes_supported' must be an array")]
    public void AuthorizationServerMetadata_Parse_RejectsMalformedWithClearError(string json, string expectedMessagePart)
    {
        var ex = Assert.Throws<OAuthClientException>(() => AuthorizationServerMetadata.Parse(json));

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtectedResourceMetadata_Parse_ReadsMembers()
    {
        var prm = ProtectedResourceMetadataReader.Parse("""
            {"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as.example.com"],
             "scopes_supported":["files:read"],"bearer_methods_supported":["header"],"extra":true}
            """);

        Assert.Equal("https://mcp.example.com/mcp", prm.Resource);
        Assert.Equal(["https://as.example.com"], prm.AuthorizationServers);
        Assert.Equal(["files:read"], prm.ScopesSupported);
        Assert.Equal(["header"], prm.BearerMethodsSupported);
    }

    [Fact]
    public void ProtectedResourceMetadata_Parse_OversizedDocument_Refused()
    {
        var json = "{\"resource\":\"https://x\",\"pad\":\"" + new string('a', 300 * 1024) + "\"}";

        var ex = Assert.Throws<OAuthClientException>(() => ProtectedResourceMetadataReader.Parse(json));

        Assert.Contains("exceeds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtectedResourceMetadata_Parse_NonObject_Refused()
    {
        var ex = Assert.Throws<OAuthClientException>(() => ProtectedResourceMetadataReader.Parse("null"));

        Assert.Contains("must be a JSON object", ex.Message, StringComparison.Ordinal);
    }

    // Found by the fuzz properties (Fuzzing/ParserFuzzTests): string contents that parse as JSON but are not text.
    public static TheoryData<byte[]> UnreadableStrings => new()
    {
        System.Text.Encoding.UTF8.GetBytes("{\"issuer\":\"\\ud800\",\"resource\":\"\\ud800\",\"access_token\":\"\\ud800\"}"),
        System.Text.Encoding.UTF8.GetBytes("{\"issuer\":\"https://as\",\"resource\":\"https://r\",\"scopes_supported\":[\"\\udc00x\"],\"authorization_servers\":[\"\\udc00\"],\"access_token\":\"a\",\"expires_in\":\"\\ud800\"}"),
        InvalidUtf8Strings(),
    };

    private static byte[] InvalidUtf8Strings() =>
        [.. "{\"issuer\":\"a"u8, 0xB7, .. "\",\"resource\":\"r"u8, 0x94, .. "\",\"access_token\":\"t"u8, 0x83, .. "\"}"u8];

    [Theory]
    [MemberData(nameof(UnreadableStrings))]
    public void Parsers_StringsThatAreNotText_AreMalformedDocuments(byte[] json)
    {
        var authorizationServer = Assert.Throws<OAuthClientException>(() => AuthorizationServerMetadata.Parse(json));
        var resource = Assert.Throws<OAuthClientException>(() => ProtectedResourceMetadataReader.Parse(json));
        var token = TokenClient.ParseTokenResponse(json, 200, isSuccessStatus: true);

        Assert.Equal(SessionErrorCodes.DiscoveryFailed, authorizationServer.ErrorCode);
        Assert.Equal(SessionErrorCodes.DiscoveryFailed, resource.ErrorCode);
        Assert.False(token.IsSuccess);
        Assert.Equal(TokenResult.InvalidResponse, token.Error);
    }
}
