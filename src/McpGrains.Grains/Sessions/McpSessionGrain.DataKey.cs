using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

// Per-connection data key: the session's secrets are encrypted under it, and it is stored wrapped by the key ring in a
// separate store. Disconnecting deletes it, so a dump or backup of the old session state cannot be decrypted.
public sealed partial class McpSessionGrain
{
    private DataKeyProtector? _dataKey;
    private bool _rewrappedOnActivation;

    private DataKeyProtector Secrets => _dataKey ?? throw new InvalidOperationException("The connection's data key is not loaded.");

    public Task<bool> RewrapSecretsAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(RewrapSecretsLockedAsync, cancellationToken);

    private async Task<bool> RewrapSecretsLockedAsync(CancellationToken cancellationToken)
    {
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

        _dataKey = new DataKeyProtector(Convert.FromBase64String(_protector.Unprotect(wrapped, SecretContexts.DataKey(_key))));
        if (_protector.GetKeyId(wrapped) != _keyRing.ActiveKeyId)
        {
            await RewrapDataKeyAsync(cancellationToken);
            _rewrappedOnActivation = true;
        }
    }

    /// <summary>Creates and stores the data key before the first secret is written under it.</summary>
    private async Task EnsureDataKeyAsync(CancellationToken cancellationToken)
    {
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
        await _dataKeyState.ClearStateAsync(cancellationToken);
    }
}
