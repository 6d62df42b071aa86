using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Security;

/// <summary>
/// AES-256-GCM under a key derived from the key ring. Layout: version (1), key id length (1), key id, nonce (12),
/// tag (16), ciphertext. Associated data: the version, the key id and the caller's context.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const byte Version = 1;
    public const string SecretsPurpose = "mcpgrains/secrets/v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly KeyRing _keyRing;
    private readonly string _purpose;
    private readonly Dictionary<string, byte[]> _derivedKeys = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AesGcmSecretProtector(KeyRing keyRing)
        : this(keyRing, SecretsPurpose)
    {
    }

    /// <param name="purpose">The HKDF label of the derived key: one per kind of data.</param>
    public AesGcmSecretProtector(KeyRing keyRing, string purpose)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        _keyRing = keyRing;
        _purpose = purpose;
    }

    public byte[] Protect(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plainBytes = Encoding.UTF8.GetBytes(plaintext);
        try
        {
            return ProtectBytes(plainBytes, context);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plainBytes);
        }
    }

    public string Unprotect(byte[] protectedData, string context)
    {
        var plain = UnprotectBytes(protectedData, context);
        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Encrypts raw bytes under the active key, bound to <paramref name="context"/>.</summary>
    public byte[] ProtectBytes(ReadOnlySpan<byte> plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keyId = _keyRing.ActiveKeyId;
        var keyIdBytes = Encoding.ASCII.GetBytes(keyId);
        var headerLength = 2 + keyIdBytes.Length;
        var output = new byte[headerLength + NonceSize + TagSize + plaintext.Length];
        output[0] = Version;
        output[1] = (byte)keyIdBytes.Length;
        keyIdBytes.CopyTo(output, 2);
        var nonce = output.AsSpan(headerLength, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = output.AsSpan(headerLength + NonceSize, TagSize);
        var ciphertext = output.AsSpan(headerLength + NonceSize + TagSize);
        using var aes = new AesGcm(GetKey(keyId)!, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(output.AsSpan(0, headerLength), context));
        return output;
    }

    /// <summary>Decrypts to raw bytes; throws <see cref="CryptographicException"/> like <see cref="Unprotect"/>.</summary>
    public byte[] UnprotectBytes(byte[] protectedData, string context)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        ArgumentNullException.ThrowIfNull(context);
        var keyId = GetKeyId(protectedData) ?? throw new CryptographicException("The protected value has an unknown format.");
        var key = GetKey(keyId) ?? throw new CryptographicException($"The protected value was encrypted with key '{keyId}', which is not configured.");
        var headerLength = 2 + protectedData[1];
        if (protectedData.Length < headerLength + NonceSize + TagSize)
        {
            throw new CryptographicException("The protected value is truncated.");
        }

        var nonce = protectedData.AsSpan(headerLength, NonceSize);
        var tag = protectedData.AsSpan(headerLength + NonceSize, TagSize);
        var ciphertext = protectedData.AsSpan(headerLength + NonceSize + TagSize);
        var plain = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(nonce, ciphertext, tag, plain, AssociatedData(protectedData.AsSpan(0, headerLength), context));
        return plain;
    }

    public string? GetKeyId(byte[] protectedData)
    {
        if (protectedData is null || protectedData.Length < 2 || protectedData[0] != Version || protectedData.Length < 2 + protectedData[1])
        {
            return null;
        }

        return Encoding.ASCII.GetString(protectedData, 2, protectedData[1]);
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string context)
    {
        var contextBytes = Encoding.UTF8.GetBytes(context);
        var ad = new byte[header.Length + contextBytes.Length];
        header.CopyTo(ad);
        contextBytes.CopyTo(ad.AsSpan(header.Length));
        return ad;
    }

    private byte[]? GetKey(string keyId)
    {
        lock (_lock)
        {
            if (_derivedKeys.TryGetValue(keyId, out var key))
            {
                return key;
            }

            key = _keyRing.TryDeriveKey(keyId, _purpose);
            if (key is not null)
            {
                _derivedKeys[keyId] = key;
            }

            return key;
        }
    }
}
