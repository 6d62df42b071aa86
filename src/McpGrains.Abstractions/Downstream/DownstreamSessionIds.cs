using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Downstream;

/// <summary>
/// Downstream session ids: 256 random bits, base64url (43 visible ASCII characters). The id is a bearer-like secret;
/// the cluster knows a session only by <see cref="Hash"/> of it.
/// </summary>
public static class DownstreamSessionIds
{
    public const int Length = 43;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Well formed: exactly what <see cref="Create"/> makes.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && Base64Url.IsValid(value);

    /// <summary>SHA-256 of the id, base64url: the grain key and the only form that reaches storage or other nodes.</summary>
    public static string Hash(string sessionId)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(sessionId, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..written], hash);
        return Base64Url.EncodeToString(hash);
    }
}
