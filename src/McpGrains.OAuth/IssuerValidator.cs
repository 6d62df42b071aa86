namespace McpGrains.OAuth;

/// <summary>RFC 9207 authorization-response issuer identification, plain ordinal comparison (no normalization).</summary>
public static class IssuerValidator
{
    /// <param name="expectedIssuer">The issuer recorded when the authorization request was made.</param>
    /// <param name="issParameterSupported">The AS metadata's <c>authorization_response_iss_parameter_supported</c>.</param>
    /// <param name="receivedIss">The callback's <c>iss</c> query parameter, null when absent.</param>
    public static IssuerCheck Validate(string expectedIssuer, bool issParameterSupported, string? receivedIss)
    {
        ArgumentNullException.ThrowIfNull(expectedIssuer);
        if (receivedIss is null)
        {
            return issParameterSupported ? IssuerCheck.Missing : IssuerCheck.Valid;
        }

        return string.Equals(expectedIssuer, receivedIss, StringComparison.Ordinal) ? IssuerCheck.Valid : IssuerCheck.Mismatch;
    }
}
