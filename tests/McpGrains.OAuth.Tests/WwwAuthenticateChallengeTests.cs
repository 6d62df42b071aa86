using System.Net;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class WwwAuthenticateChallengeTests
{
    [Fact]
    public void Parse_QuotedParameters_ReadsResourceMetadataAndScope()
    {
        var challenge = WwwAuthenticateChallenge.Parse(
            "Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", scope=\"files:read files:write\"");

        Assert.NotNull(challenge);
        Assert.Equal("https://mcp.example.com/.well-known/oauth-protected-resource/mcp", challenge.ResourceMetadata);
        Assert.Equal("files:read files:write", challenge.Scope);
        Assert.Null(challenge.Error);
    }

    [Fact]
    public void Parse_TokenFormValues_AreRead()
    {
        var challenge = WwwAuthenticateChallenge.Parse("Bearer error=invalid_token, scope=read");

        Assert.NotNull(challenge);
        Assert.Equal("invalid_token", challenge.Error);
        Assert.Equal("read", challenge.Scope);
    }

    [Fact]
    public void Parse_CommaInsideQuotes_StaysInValue()
    {
        var challenge = WwwAuthenticateChallenge.Parse("Bearer error=\"insufficient_scope\", error_description=\"need a, b, and c\", scope=\"a b c\"");

        Assert.NotNull(challenge);
        Assert.Equal("insufficient_scope", challenge.Error);
        Assert.Equal("need a, b, and c", challenge.ErrorDescription);
        Assert.Equal("a b c", challenge.Scope);
    }

    [Fact]
    public void Parse_EscapedQuoteInsideQuotedString_IsUnescaped()
    {
        var challenge = WwwAuthenticateChallenge.Parse("Bearer error_description=\"say \\\"hi\\\"\"");

        Assert.NotNull(challenge);
        Assert.Equal("say \"hi\"", challenge.ErrorDescription);
    }

    [Fact]
    public void Parse_DpopOnlyChallenge_IsRead_ButBearerWinsWhenBothAreOffered()
    {
        // RFC 9449 section 7.1: a server that accepts DPoP-bound tokens only challenges with the DPoP scheme.
        var dpop = WwwAuthenticateChallenge.Parse("DPoP algs=\"ES256\", resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"");
        var both = WwwAuthenticateChallenge.Parse("DPoP algs=\"ES256\", Bearer scope=\"files:read\"");

        Assert.Equal("DPoP", dpop!.Scheme);
        Assert.Equal("https://mcp.example.com/.well-known/oauth-protected-resource/mcp", dpop.ResourceMetadata);
        Assert.Equal("Bearer", both!.Scheme);
        Assert.Equal("files:read", both.Scope);
    }

    [Fact]
    public void Parse_SeveralChallengesInOneHeader_PicksBearer()
    {
        var challenge = WwwAuthenticateChallenge.Parse(
            "Basic realm=\"legacy, old\", Negotiate abc==, Bearer realm=\"mcp\", resource_metadata=\"https://r.example/prm\"");

        Assert.NotNull(challenge);
        Assert.Equal("mcp", challenge.Realm);
        Assert.Equal("https://r.example/prm", challenge.ResourceMetadata);
    }

    [Fact]
    public void Parse_BearerFirstThenOtherScheme_DoesNotTakeOtherSchemesParameters()
    {
        var challenge = WwwAuthenticateChallenge.Parse("Bearer scope=\"a\", Basic realm=\"other\"");

        Assert.NotNull(challenge);
        Assert.Equal("a", challenge.Scope);
        Assert.Null(challenge.Realm);
    }

    [Fact]
    public void Parse_CaseInsensitiveSchemeAndParameterNames()
    {
        var challenge = WwwAuthenticateChallenge.Parse("bEaReR Resource_Metadata=\"https://r.example/prm\", SCOPE=x");

        Assert.NotNull(challenge);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal("https://r.example/prm", challenge.ResourceMetadata);
        Assert.Equal("x", challenge.Scope);
    }

    [Fact]
    public void Parse_BareBearer_ReturnsChallengeWithoutParameters()
    {
        var challenge = WwwAuthenticateChallenge.Parse("Bearer");

        Assert.NotNull(challenge);
        Assert.Empty(challenge.Parameters);
    }

    [Theory]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_NoBearerChallenge_ReturnsNull(string? header)
    {
        Assert.Null(WwwAuthenticateChallenge.Parse(header));
    }

    [Fact]
    public void Parse_ResponseHeadersWithSeveralLines_FindsBearerLine()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"x\"");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer resource_metadata=\"https://r.example/prm\"");

        var challenge = WwwAuthenticateChallenge.Parse(response.Headers);

        Assert.NotNull(challenge);
        Assert.Equal("https://r.example/prm", challenge.ResourceMetadata);
    }
}
