using System.Security.Cryptography;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

// Per-connection data key: the session's secrets are encrypted under it, and it is stored wrapped by the key ring in a
// separate store. Disconnecting deletes it, so a dump or backup of the old session state cannot be decrypted.
public sealed partial class McpSessionGrain
{
    private DataKeyProtector? _dataKey;
    private bool _rewrappedOnActivation;

    /// <summary>
    /// The stored data key does not unwrap with this node's key ring. The activation stays up so that the connection
    /// can still be disconnected (which forgets it); everything that needs its secrets fails with
    /// <see cref="SecretUnreadableException"/>, and it is never replaced by a new key behind the operator's back.
    /// </summary>
    private bool _dataKeyUnreadable;

    public Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(RewrapSecretsLockedAsync, cancellationToken);

    private async Task<bool> RewrapSecretsLockedAsync(CancellationToken cancellationToken)
    {
        ThrowIfSecretsUnreadable();
        // Activation already re-wrapped a data key under an old master key; report whether this one is current now.
        var wrapped = _dataKeyState.State.WrappedKey;
        if (wrapped is null || _protector.GetKeyId(wrapped) == _keyRing.ActiveKeyId)
        {
            return _rewrappedOnActivation;
        }

        await RewrapDataKeyAsync(cancellationToken);
        return true;
    }

    /// <summary>Loads the data key if there is one; re-wraps it under the active master key after a rotation.</summary>
    private async Task LoadDataKeyAsync(CancellationToken cancellationToken)
    {
        var wrapped = _dataKeyState.State.WrappedKey;
        if (wrapped is null)
        {
            return;
        }

        try
        {
            _dataKey = new DataKeyProtector(Convert.FromBase64String(_protector.Unprotect(wrapped, SecretContexts.DataKey(_key))));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            _dataKeyUnreadable = true;
            LogSecretUnreadable(_logger, _key, "data key", _protector.GetKeyId(wrapped) ?? "(unknown format)");
            return;
        }

        if (_protector.GetKeyId(wrapped) != _keyRing.ActiveKeyId)
        {
            await RewrapDataKeyAsync(cancellationToken);
            _rewrappedOnActivation = true;
        }
    }

    /// <summary>Creates and stores the data key before the first secret is written under it.</summary>
    private async Task EnsureDataKeyAsync(CancellationToken cancellationToken)
    {
        ThrowIfSecretsUnreadable();
        if (_dataKey is not null)
        {
            return;
        }

        var key = DataKeyProtector.NewKey();
        _dataKeyState.State.WrappedKey = _protector.Protect(Convert.ToBase64String(key), SecretContexts.DataKey(_key));
        _dataKeyState.State.CreatedAt = _time.GetUtcNow();
        await _dataKeyState.WriteStateAsync(cancellationToken);
        _dataKey = new DataKeyProtector(key);
    }

    private async Task RewrapDataKeyAsync(CancellationToken cancellationToken)
    {
        var wrapped = _dataKeyState.State.WrappedKey!;
        _dataKeyState.State.WrappedKey = _protector.Protect(_protector.Unprotect(wrapped, SecretContexts.DataKey(_key)), SecretContexts.DataKey(_key));
        await _dataKeyState.WriteStateAsync(cancellationToken);
    }

    /// <summary>Destroys the data key: what it encrypted is unrecoverable from here on.</summary>
    private async Task DestroyDataKeyAsync(CancellationToken cancellationToken)
    {
        _dataKey = null;
        _dataKeyUnreadable = false;
        await _dataKeyState.ClearStateAsync(cancellationToken);
    }
}
