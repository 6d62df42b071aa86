using System.Security.Cryptography;
using McpGrains.OAuth;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

// Reading the session's secrets back: a value that does not decrypt with this node's keys is a SecretUnreadableException
// (answered as secret_unreadable), never a bare CryptographicException.
public sealed partial class McpSessionGrain
{
    private DataKeyProtector Secrets
    {
        get
        {
            ThrowIfSecretsUnreadable();
            return _dataKey ?? throw new InvalidOperationException("The connection's data key is not loaded.");
        }
    }

    private void ThrowIfSecretsUnreadable()
    {
        if (_dataKeyUnreadable)
        {
            throw new SecretUnreadableException();
        }
    }

    /// <summary>One of the session's secrets, in plain text.</summary>
    private string Reveal(byte[] ciphertext, string context)
    {
        var secrets = Secrets;
        try
        {
            return secrets.Unprotect(ciphertext, context);
        }
        catch (CryptographicException)
        {
            LogSecretUnreadable(_logger, _key, SecretName(context), "(data key)");
            throw new SecretUnreadableException();
        }
    }

    /// <summary>The server's client secret (encrypted under the key ring by the server grain), in plain text.</summary>
    private string RevealClientSecret(byte[] ciphertext)
    {
        try
        {
            return _protector.Unprotect(ciphertext, SecretContexts.ClientSecret(_key.ServerId));
        }
        catch (CryptographicException)
        {
            LogSecretUnreadable(_logger, _key, "client secret", _protector.GetKeyId(ciphertext) ?? "(unknown format)");
            throw new SecretUnreadableException();
        }
    }

    /// <summary>
    /// Revokes the stored tokens where the server offers revocation. Tokens that cannot be decrypted any more cannot be
    /// revoked: the disconnect forgets them all the same, so that the user can start over.
    /// </summary>
    private async Task RevokeStoredTokensAsync(CancellationToken cancellationToken)
    {
        await RevokeTokensAsync(_state.State.Tokens, cancellationToken);
        await RevokeTokensAsync(_state.State.Unconfirmed?.Tokens, cancellationToken);
    }

    /// <summary>Revokes one set of the session's tokens (refresh token first) where the server offers revocation.</summary>
    private async Task RevokeTokensAsync(TokenSet? tokens, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return;
        }

        var server = await GetServerAsync(cancellationToken);
        if (server.Authorization is not { RevocationEndpoint: not null } authorization || authorization.Issuer != tokens.Issuer)
        {
            return;
        }

        try
        {
            var context = CreateTokenContext(authorization);
            if (tokens.ProtectedRefreshToken is not null)
            {
                await _tokenClient.RevokeAsync(context, authorization.RevocationEndpoint, Reveal(tokens.ProtectedRefreshToken, SecretContexts.RefreshToken(_key)), "refresh_token", cancellationToken);
            }

            await _tokenClient.RevokeAsync(context, authorization.RevocationEndpoint, Reveal(tokens.ProtectedAccessToken, SecretContexts.AccessToken(_key)), "access_token", cancellationToken);
        }
        catch (SecretUnreadableException)
        {
            LogRevocationSkipped(_logger, _key);
        }
    }

    /// <summary>The field name at the end of a secret's context, for logs ("access_token", "code_verifier", ...).</summary>
    private static string SecretName(string context) => context[(context.LastIndexOf(':') + 1)..];
}
