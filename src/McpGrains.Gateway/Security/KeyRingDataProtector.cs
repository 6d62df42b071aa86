using McpGrains.Security;
using Microsoft.AspNetCore.DataProtection;

namespace McpGrains.Gateway.Security;

/// <summary>
/// ASP.NET Core Data Protection backed by McpGrains' key ring: AES-256-GCM under a key derived for this use, with the
/// purpose chain as associated data. Every node holds the same key ring (McpGrains:Security:Keys), so a value one front
/// end protects (an anti-forgery token today, the OpenID Connect handler's correlation and state values later) any
/// other opens. ASP.NET Core's own key ring (per node, in a directory; its hosted service still loads it at start-up)
/// protects nothing. Key rotation follows the key ring: new values use the active key, old ones open while their key
/// is listed.
/// </summary>
public sealed class KeyRingDataProtector : IDataProtector
{
    private const string Purpose = "mcpgrains/data-protection/v1";

    private readonly AesGcmSecretProtector _protector;
    private readonly string[] _purposes;
    private readonly string _context;

    public KeyRingDataProtector(KeyRing keyRing)
        : this(new AesGcmSecretProtector(keyRing, Purpose), [])
    {
    }

    private KeyRingDataProtector(AesGcmSecretProtector protector, string[] purposes)
    {
        _protector = protector;
        _purposes = purposes;
        // Length-prefixed, so that no two purpose chains share a context.
        _context = string.Concat(purposes.Select(p => $"{p.Length}:{p};"));
    }

    public IDataProtector CreateProtector(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return new KeyRingDataProtector(_protector, [.. _purposes, purpose]);
    }

    public byte[] Protect(byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return _protector.ProtectBytes(plaintext, _context);
    }

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> for anything altered, foreign or under an unknown key.</summary>
    public byte[] Unprotect(byte[] protectedData) => _protector.UnprotectBytes(protectedData, _context);
}
