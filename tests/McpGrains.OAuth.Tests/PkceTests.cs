using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class PkceTests
{
    [Fact]
    public void ComputeChallenge_Rfc7636AppendixB_Vector()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ComputeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public void Create_Returns43CharBase64UrlVerifierAndMatchingChallenge()
    {
        var pair = Pkce.Create();

        Assert.Equal(43, pair.CodeVerifier.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", pair.CodeVerifier);
        Assert.Equal(Pkce.ComputeChallenge(pair.CodeVerifier), pair.CodeChallenge);
        Assert.Equal("S256", pair.CodeChallengeMethod);
        Assert.NotEqual(pair.CodeVerifier, Pkce.Create().CodeVerifier);
    }

    [Fact]
    public void PkcePair_ToString_RedactsVerifier()
    {
        var pair = Pkce.Create();

        Assert.DoesNotContain(pair.CodeVerifier, pair.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", pair.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "S256" }, true)]
    [InlineData(new[] { "plain", "S256" }, true)]
    [InlineData(new[] { "plain" }, false)]
    [InlineData(new[] { "s256" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(null, false)]
    public void IsS256Supported_Table(string[]? methods, bool expected)
    {
        var metadata = new AuthorizationServerMetadata { Issuer = "https://as.example.com", CodeChallengeMethodsSupported = methods };

        Assert.Equal(expected, Pkce.IsS256Supported(metadata));
    }
}
