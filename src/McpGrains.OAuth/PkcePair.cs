namespace McpGrains.OAuth;

/// <summary>A PKCE code verifier and its S256 challenge (RFC 7636). The verifier is a secret.</summary>
public sealed record PkcePair(string CodeVerifier, string CodeChallenge)
{
    public string CodeChallengeMethod => Pkce.S256;

    public override string ToString() => "PkcePair { CodeVerifier = [redacted], CodeChallengeMethod = S256 }";
}
