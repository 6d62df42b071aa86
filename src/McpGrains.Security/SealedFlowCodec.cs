using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace McpGrains.Security;

/// <summary>
/// Seals a reference to one pending authorization flow (<see cref="AuthorizationState"/>: session key, flow id,
/// expiry) into an opaque, URL-safe value: AES-256-GCM under a key derived for one purpose only, so any node holding
/// the key ring can route it to its grain without a shared lookup table, nobody without it can forge or alter one,
/// and a value sealed for one purpose (an OAuth <c>state</c>) is refused as another (a sign-in ticket).
/// </summary>
public abstract class SealedFlowCodec
{
    // The associated data the state has always been sealed under; the purpose (the derived key) tells the kinds apart.
    private const string Context = "state";
    private const char Separator = '|';
    private const int MaxEncodedLength = 2048;

    private readonly AesGcmSecretProtector _protector;

    protected SealedFlowCodec(KeyRing keyRing, string purpose)
    {
        _protector = new AesGcmSecretProtector(keyRing, purpose);
    }

    public string Protect(AuthorizationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FlowId.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException("Flow ids cannot contain the separator.", nameof(state));
        }

        var plaintext = string.Join(
            Separator,
            state.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            state.FlowId,
            state.SessionKey);
        return Base64Url.EncodeToString(_protector.Protect(plaintext, Context));
    }

    /// <summary>Opens a value. False when it is malformed, forged, altered or sealed under an unknown key; expiry is the caller's check.</summary>
    public bool TryUnprotect(string? value, out AuthorizationState? state)
    {
        state = null;
        if (string.IsNullOrEmpty(value) || value.Length > MaxEncodedLength)
        {
            return false;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return false;
        }

        string plaintext;
        try
        {
            plaintext = _protector.Unprotect(sealedBytes, Context);
        }
        catch (CryptographicException)
        {
            return false;
        }

        var parts = plaintext.Split(Separator, 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return false;
        }

        state = new AuthorizationState(parts[2], parts[1], DateTimeOffset.FromUnixTimeSeconds(expiry));
        return true;
    }
}
