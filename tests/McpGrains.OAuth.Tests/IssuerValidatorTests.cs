using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class IssuerValidatorTests
{
    [Theory]
    [InlineData(true, "https://as.example.com", IssuerCheck.Valid)]
    [InlineData(true, null, IssuerCheck.Missing)]
    [InlineData(true, "https://evil.example.com", IssuerCheck.Mismatch)]
    [InlineData(false, null, IssuerCheck.Valid)]
    [InlineData(false, "https://as.example.com", IssuerCheck.Valid)]
    [InlineData(false, "https://evil.example.com", IssuerCheck.Mismatch)]
    [InlineData(true, "https://as.example.com/", IssuerCheck.Mismatch)]
    [InlineData(true, "https://AS.example.com", IssuerCheck.Mismatch)]
    [InlineData(true, "https://as.example.com:443", IssuerCheck.Mismatch)]
    [InlineData(true, "", IssuerCheck.Mismatch)]
    public void Validate_Table(bool advertised, string? received, IssuerCheck expected)
    {
        Assert.Equal(expected, IssuerValidator.Validate("https://as.example.com", advertised, received));
    }
}
