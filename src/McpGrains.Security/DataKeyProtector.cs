using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Security;

/// <summary>
/// AES-256-GCM under one data key (a per-connection key, itself stored wrapped by the key ring): destroying the data
/// key makes everything it encrypted unrecoverable, backups included. Layout: version (1), nonce (12), tag (16),
/// ciphertext. The caller's context is the associated data.
/// </summary>
public sealed class DataKeyProtector
{
    public const int KeySize = 32;
    private const byte Version = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public DataKeyProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A data key is {KeySize} bytes.", nameof(key));
        }

        _key = key;
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    public byte[] Protect(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    public string Unprotect(byte[] protectedData, string context)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        if (protectedData.Length < 1 + NonceSize + TagSize || protectedData[0] != Version)
        {
            throw new CryptographicException("The value was not sealed with a data key.");
        }

        var plain = new byte[protectedData.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            protectedData.AsSpan(1, NonceSize),
            protectedData.AsSpan(1 + NonceSize + TagSize),
            protectedData.AsSpan(1 + NonceSize, TagSize),
            plain,
            Encoding.UTF8.GetBytes(context));
        var result = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        return result;
    }
}
