using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace McpGrains.OAuth;

/// <summary>PKCE with S256 only (OAuth 2.1; MCP forbids <c>plain</c>).</summary>
public static class Pkce
{
    public const string S256 = "S256";

    /// <summary>A fresh verifier (base64url of 32 random bytes, 43 characters) and its S256 challenge.</summary>
    public static PkcePair Create()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new PkcePair(verifier, ComputeChallenge(verifier));
    }

    /// <summary><c>BASE64URL(SHA256(ASCII(verifier)))</c>.</summary>
    public static string ComputeChallenge(string codeVerifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
    }

    /// <summary>True only when the metadata lists <c>S256</c> in <c>code_challenge_methods_supported</c>.</summary>
    public static bool IsS256Supported(AuthorizationServerMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.CodeChallengeMethodsSupported?.Contains(S256, StringComparer.Ordinal) == true;
    }
}
