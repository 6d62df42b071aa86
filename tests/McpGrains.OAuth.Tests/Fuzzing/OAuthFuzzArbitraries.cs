using FsCheck;
using FsCheck.Fluent;
using McpGrains.Testing;

namespace McpGrains.OAuth.Tests.Fuzzing;

/// <summary>
/// The inputs of the OAuth parser fuzz properties: random and mutated <c>WWW-Authenticate</c> values, metadata
/// documents and token responses, mutated from realistic samples with awkward tokens spliced in.
/// </summary>
public static class OAuthFuzzArbitraries
{
    private static readonly string[] Challenges =
    [
        "Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", scope=\"files:read files:write\"",
        "Bearer error=\"insufficient_scope\", error_description=\"need a, b, and c\", scope=\"a b c\"",
        "Bearer error=invalid_token, scope=read, realm=mcp",
        "Basic realm=\"x\", Bearer resource_metadata=https://mcp.example.com/prm",
        "Negotiate abc123==, Bearer",
        "Bearer realm=\"a \\\"quoted\\\" \\\\ value\", charset=UTF-8",
        "DPoP algs=\"ES256\", Bearer scope=\"\"",
    ];

    private static readonly string[] ChallengeTokens = ["Bearer", "Bearer ", "=", "==", "\"", "\\", "\\\"", ",", ", ", "resource_metadata=", "scope=\"", "\r\n", "\0", "\ud800", "\t"];

    private static readonly string[] AuthorizationServerDocuments =
    [
        """{"issuer":"https://as.example.com","authorization_endpoint":"https://as.example.com/a","token_endpoint":"https://as.example.com/t","registration_endpoint":"https://as.example.com/r","revocation_endpoint":"https://as.example.com/v","scopes_supported":["a","offline_access"],"code_challenge_methods_supported":["S256"],"token_endpoint_auth_methods_supported":["none","client_secret_basic"],"authorization_response_iss_parameter_supported":true,"client_id_metadata_document_supported":false,"grant_types_supported":["authorization_code","refresh_token"],"response_types_supported":["code"]}""",
        """{"issuer":"https://login.example.com/tenant/v2.0","authorization_endpoint":"https://login.example.com/tenant/oauth2/v2.0/authorize","token_endpoint":"https://login.example.com/tenant/oauth2/v2.0/token","x_unknown":{"nested":[1,2,{"a":null}]}}""",
    ];

    private static readonly string[] ResourceDocuments =
    [
        """{"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as.example.com"],"scopes_supported":["files:read"],"bearer_methods_supported":["header"],"resource_name":"Example","resource_documentation":"https://mcp.example.com/docs"}""",
        """{"resource":"https://mcp.example.com","authorization_servers":["https://a.example","https://b.example"]}""",
    ];

    private static readonly string[] TokenResponses =
    [
        """{"access_token":"at-0123456789","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-0123456789","scope":"files:read files:write"}""",
        """{"access_token":"at-0123456789","token_type":"bearer","expires_in":"3599"}""",
        """{"error":"invalid_grant","error_description":"The refresh token was revoked."}""",
        """{"error":"slow_down","error_uri":"https://as.example.com/errors"}""",
    ];

    /// <summary>JSON that is valid but of the wrong type or shape where it is spliced in, and text that is not JSON.</summary>
    private static readonly string[] JsonTokens =
    [
        "null", "true", "0", "-1", "1e400", "-0.5", "99999999999999999999999", "[]", "{}", "[1,\"a\",null]", "{\"a\":{}}",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"\\uD83D\\uDE00\"", "\"\\\"\"", "\"\"", ",", ":", "\"", "\\", "{", "}", "[", "]",
        new string('[', 40) + new string(']', 40), "\"issuer\":", "\"access_token\":", "\"expires_in\":", "\"error\":", "//", "/*", "\ufeff", "\ud800",
    ];

    public static Arbitrary<FuzzText> Challenge() =>
        FuzzGen.Input(Challenges, ChallengeTokens).Select(value => new FuzzText(value)).ToArbitrary();

    public static Arbitrary<FuzzBytes> Json() =>
        FuzzGen.Utf8(FuzzGen.Input([.. AuthorizationServerDocuments, .. ResourceDocuments, .. TokenResponses], JsonTokens)).Select(value => new FuzzBytes(value)).ToArbitrary();
}
