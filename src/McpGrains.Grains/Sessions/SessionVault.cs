using System.Security.Cryptography;
using McpGrains.OAuth;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The session's key material. Its secrets are encrypted under a per-connection data key, stored wrapped by the key
/// ring in a separate store (<see cref="SessionDataKeyState"/>); destroying it on disconnect makes a dump or backup of
/// the old session state undecryptable. The connection's DPoP key pair (RFC 9449) is one of those secrets, so it is
/// destroyed with it. A value that does not decrypt with this node's keys is a <see cref="SecretUnreadableException"/>
/// (answered as secret_unreadable), never a bare <see cref="CryptographicException"/>.
/// </summary>
internal sealed class SessionVault(
    SessionContext session,
    IStoredState<SessionDataKeyState> store,
    SessionRecord record,
    ISecretProtector protector,
    KeyRing keyRing)
{
    private readonly McpSessionKey _key = session.Key;

    private DataKeyProtector? _dataKey;
    private DpopKey? _dpopKey;

    /// <summary>Loading found the data key under an old master key and re-wrapped it under the active one.</summary>
    public bool RewrappedOnActivation { get; private set; }

    /// <summary>
    /// The stored data key does not unwrap with this node's key ring. The session stays usable for a disconnect (which
    /// forgets it); everything that needs its secrets fails, and the key is never replaced behind the operator's back.
    /// </summary>
    public bool Unreadable { get; private set; }

    private DataKeyProtector Secrets
    {
        get
        {
            ThrowIfUnreadable();
            return _dataKey ?? throw new InvalidOperationException("The connection's data key is not loaded.");
        }
    }

    /// <summary>Loads the data key if there is one; re-wraps it under the active master key after a rotation.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var wrapped = store.State.WrappedKey;
        if (wrapped is null)
        {
            return;
        }

        try
        {
            _dataKey = new DataKeyProtector(Convert.FromBase64String(protector.Unprotect(wrapped, SecretContexts.DataKey(_key))));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            Unreadable = true;
            SessionLog.SecretUnreadable(session.Logger, _key, "data key", protector.GetKeyId(wrapped) ?? "(unknown format)");
            return;
        }

        if (protector.GetKeyId(wrapped) != keyRing.ActiveKeyId)
        {
            await RewrapAsync(cancellationToken);
            RewrappedOnActivation = true;
        }
    }

    /// <summary>Whether the data key is (now) wrapped under the active master key after being under another one.</summary>
    public async Task<bool> RewrapIfStaleAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreadable();
        // Loading already re-wrapped a data key under an old master key; report whether this one is current now.
        var wrapped = store.State.WrappedKey;
        if (wrapped is null || protector.GetKeyId(wrapped) == keyRing.ActiveKeyId)
        {
            return RewrappedOnActivation;
        }

        await RewrapAsync(cancellationToken);
        return true;
    }

    /// <summary>Creates and stores the data key before the first secret is written under it.</summary>
    public async Task EnsureKeyAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreadable();
        if (_dataKey is not null)
        {
            return;
        }

        var dataKey = DataKeyProtector.NewKey();
        store.State.WrappedKey = protector.Protect(Convert.ToBase64String(dataKey), SecretContexts.DataKey(_key));
        store.State.CreatedAt = session.Time.GetUtcNow();
        await store.WriteAsync(cancellationToken);
        _dataKey = new DataKeyProtector(dataKey);
    }

    /// <summary>Destroys the data key: what it encrypted is unrecoverable from here on.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken)
    {
        _dataKey = null;
        Unreadable = false;
        await store.ClearAsync(cancellationToken);
    }

    private async Task RewrapAsync(CancellationToken cancellationToken)
    {
        var wrapped = store.State.WrappedKey!;
        store.State.WrappedKey = protector.Protect(protector.Unprotect(wrapped, SecretContexts.DataKey(_key)), SecretContexts.DataKey(_key));
        await store.WriteAsync(cancellationToken);
    }

    public void ThrowIfUnreadable()
    {
        if (Unreadable)
        {
            throw new SecretUnreadableException();
        }
    }

    public byte[] Protect(string plaintext, string context) => Secrets.Protect(plaintext, context);

    /// <summary>One of the session's secrets, in plain text.</summary>
    public string Reveal(byte[] ciphertext, string context)
    {
        var secrets = Secrets;
        try
        {
            return secrets.Unprotect(ciphertext, context);
        }
        catch (CryptographicException)
        {
            SessionLog.SecretUnreadable(session.Logger, _key, SecretName(context), "(data key)");
            throw new SecretUnreadableException();
        }
    }

    /// <summary>The server's client secret (encrypted under the key ring by the server grain), in plain text.</summary>
    public string RevealClientSecret(byte[] ciphertext)
    {
        try
        {
            return protector.Unprotect(ciphertext, SecretContexts.ClientSecret(_key.ServerId));
        }
        catch (CryptographicException)
        {
            SessionLog.SecretUnreadable(session.Logger, _key, "client secret", protector.GetKeyId(ciphertext) ?? "(unknown format)");
            throw new SecretUnreadableException();
        }
    }

    /// <summary>The connection's DPoP key: the stored one, or a new one (stored with the next state write).</summary>
    public DpopKey GetOrCreateDpopKey()
    {
        if (_dpopKey is not null)
        {
            return _dpopKey;
        }

        if (record.State.ProtectedDpopKey is { } stored)
        {
            try
            {
                _dpopKey = DpopKey.Import(Reveal(stored, SecretContexts.DpopKey(_key)));
                return _dpopKey;
            }
            catch (CryptographicException)
            {
                // A damaged key binds nothing any more: a new key (and a new sign-in for a bound token) replaces it.
                record.State.ProtectedDpopKey = null;
            }
        }

        _dpopKey = DpopKey.Create();
        record.State.ProtectedDpopKey = Secrets.Protect(_dpopKey.ExportPrivateKey(), SecretContexts.DpopKey(_key));
        return _dpopKey;
    }

    /// <summary>The key a DPoP-bound token must be presented with, or null for a Bearer token.</summary>
    public DpopKey? DpopKeyFor(TokenSet? tokens) => tokens is { IsDpopBound: true } ? GetOrCreateDpopKey() : null;

    public void ForgetDpopKey()
    {
        _dpopKey?.Dispose();
        _dpopKey = null;
    }

    /// <summary>The field name at the end of a secret's context, for logs ("access_token", "code_verifier", ...).</summary>
    private static string SecretName(string context) => context[(context.LastIndexOf(':') + 1)..];
}
