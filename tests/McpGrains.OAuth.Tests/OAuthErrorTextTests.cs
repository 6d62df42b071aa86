using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class OAuthErrorTextTests
{
    [Theory]
    [InlineData("invalid_grant", "invalid_grant")]
    [InlineData("urn:ietf:params:oauth:error:x", "invalid_response")]
    [InlineData("use_dpop_nonce", "use_dpop_nonce")]
    [InlineData("invalid_grant\r\nFORGED", "invalid_response")]
    [InlineData("invalid grant", "invalid_response")]
    [InlineData("", "invalid_response")]
    [InlineData(null, "invalid_response")]
    public void Code_KeepsOnlyABoundedToken(string? error, string expected)
    {
        Assert.Equal(expected, OAuthErrorText.Code(error));
    }

    [Fact]
    public void Code_LongerThan64_IsNotACode()
    {
        Assert.Equal("a_64", OAuthErrorText.Code("a_64"));
        Assert.Equal(new string('a', 64), OAuthErrorText.Code(new string('a', 64)));
        Assert.Equal("invalid_response", OAuthErrorText.Code(new string('a', 65)));
    }

    [Fact]
    public void Description_LosesControlCharactersAndLength()
    {
        var description = OAuthErrorText.Description("line one\r\nFORGED\u001b[31m" + new string('y', 10_000));

        Assert.NotNull(description);
        Assert.Equal(OAuthErrorText.MaxDescriptionLength, description.Length);
        Assert.DoesNotContain(description, char.IsControl);
        Assert.StartsWith("line one  FORGED", description, StringComparison.Ordinal);
        Assert.Null(OAuthErrorText.Description(" \r\n\t "));
    }
}
