using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Security;

/// <summary>
/// The master keys every node shares, by id, and the one new writes use. Purpose-specific keys are derived with HKDF so
/// that one master key never encrypts two kinds of data directly.
/// </summary>
public sealed class KeyRing
{
    public const int KeySizeBytes = 32;
    public const int MaxKeyIdLength = 32;

    private readonly Dictionary<string, byte[]> _masterKeys;

    public KeyRing(IReadOnlyDictionary<string, string> base64Keys, string activeKeyId)
    {
        ArgumentNullException.ThrowIfNull(base64Keys);
        var problems = Validate(base64Keys, activeKeyId);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(base64Keys));
        }

        _masterKeys = base64Keys.ToDictionary(pair => pair.Key, pair => Convert.FromBase64String(pair.Value), StringComparer.Ordinal);
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    public IReadOnlyCollection<string> KeyIds => _masterKeys.Keys;

    /// <summary>Describes everything wrong with a key configuration; empty when it is usable. Never echoes key material.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string>? base64Keys, string? activeKeyId)
    {
        var problems = new List<string>();
        if (base64Keys is null || base64Keys.Count == 0)
        {
            problems.Add("No encryption keys are configured (McpGrains:Security:Keys:<keyId> = base64 of 32 random bytes).");
            return problems;
        }

        foreach (var (id, value) in base64Keys)
        {
            if (id.Length is 0 or > MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problems.Add($"Key id '{id}' must be 1 to {MaxKeyIdLength} characters of letters, digits, '-', '_' or '.'.");
            }

            var bytes = new byte[KeySizeBytes + 1];
            if (!Convert.TryFromBase64String(value ?? string.Empty, bytes, out var written) || written != KeySizeBytes)
            {
                problems.Add($"Key '{id}' must be base64 of exactly {KeySizeBytes} bytes (for example: openssl rand -base64 32).");
            }
        }

        if (string.IsNullOrEmpty(activeKeyId))
        {
            problems.Add("McpGrains:Security:ActiveKeyId must name the key new writes use.");
        }
        else if (!base64Keys.ContainsKey(activeKeyId))
        {
            problems.Add($"McpGrains:Security:ActiveKeyId '{activeKeyId}' is not one of the configured keys.");
        }

        return problems;
    }

    /// <summary>The HKDF label of key fingerprints: used for nothing else, so a fingerprint never equals a key in use.</summary>
    public const string FingerprintPurpose = "mcpgrains/key-fingerprint/v1";

    /// <summary>
    /// A one-way value (base64) that is equal on two nodes exactly when they hold the same key under
    /// <paramref name="keyId"/>, and reveals nothing of the key or of what it encrypts: HKDF of the key with a label of
    /// its own. Safe to store beside the data.
    /// </summary>
    public string Fingerprint(string keyId) =>
        Convert.ToBase64String(TryDeriveKey(keyId, FingerprintPurpose) ?? throw new ArgumentException($"Key '{keyId}' is not configured.", nameof(keyId)));

    /// <summary>A 256-bit key for one purpose, derived from the named master key.</summary>
    internal byte[]? TryDeriveKey(string keyId, string purpose)
    {
        if (!_masterKeys.TryGetValue(keyId, out var master))
        {
            return null;
        }

        return HKDF.DeriveKey(HashAlgorithmName.SHA256, master, KeySizeBytes, salt: [], info: Encoding.UTF8.GetBytes(purpose));
    }
}
