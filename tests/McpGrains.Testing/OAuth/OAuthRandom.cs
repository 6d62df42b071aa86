using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Testing;

/// <summary>Random secrets and PKCE arithmetic for the test authorization server.</summary>
internal static class OAuthRandom
{
    public static string NewSecret(string prefix) =>
        prefix + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string S256Challenge(string verifier) =>
        Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Constant-time comparison of two strings (both may be null).</summary>
    public static bool FixedTimeEquals(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
    }
}
