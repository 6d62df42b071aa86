namespace McpGrains.Security;

/// <summary>
/// Authenticated encryption of secrets before they reach storage. The <c>context</c> is bound into the ciphertext
/// (associated data), so a value encrypted for one session and field cannot be replayed into another.
/// </summary>
public interface ISecretProtector
{
    byte[] Protect(string plaintext, string context);

    /// <summary>Decrypts; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the value was altered, moved to another context or its key is unknown.</summary>
    string Unprotect(byte[] protectedData, string context);

    /// <summary>The id of the key that encrypted <paramref name="protectedData"/>, or null when it is not ours.</summary>
    string? GetKeyId(byte[] protectedData);
}
