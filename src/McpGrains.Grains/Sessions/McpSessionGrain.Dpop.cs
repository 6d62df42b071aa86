using System.Security.Cryptography;
using McpGrains.Configuration;
using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

// DPoP (RFC 9449): the connection's key pair, stored encrypted under the session's data key (so destroyed with it), a
// proof of it on every token request and, for a DPoP-bound token, on every upstream MCP request.
public sealed partial class McpSessionGrain
{
    private DpopKey? _dpopKey;

    /// <summary>The connection's DPoP key: the stored one, or a new one (stored with the next state write).</summary>
    private DpopKey GetOrCreateDpopKey()
    {
        if (_dpopKey is not null)
        {
            return _dpopKey;
        }

        if (_state.State.ProtectedDpopKey is { } stored)
        {
            try
            {
                _dpopKey = DpopKey.Import(Reveal(stored, SecretContexts.DpopKey(_key)));
                return _dpopKey;
            }
            catch (CryptographicException)
            {
                // A damaged key binds nothing any more: a new key (and a new sign-in for a bound token) replaces it.
                _state.State.ProtectedDpopKey = null;
            }
        }

        _dpopKey = DpopKey.Create();
        _state.State.ProtectedDpopKey = Secrets.Protect(_dpopKey.ExportPrivateKey(), SecretContexts.DpopKey(_key));
        return _dpopKey;
    }

    /// <summary>The key a DPoP-bound token must be presented with, or null for a Bearer token.</summary>
    private DpopKey? DpopKeyFor(TokenSet? tokens) => tokens is { IsDpopBound: true } ? GetOrCreateDpopKey() : null;

    /// <summary>Null when the token is acceptable; an error when the server must bind tokens (<c>Dpop required</c>) and did not.</summary>
    private SessionError? CheckDpopBinding(TokenResult result) =>
        ServerOptions.OAuth.Dpop == DpopModes.Required && result.TokenType != TokenClient.DpopTokenType
            ? new SessionError(SessionErrorCodes.TokenExchangeFailed, "The authorization server issued a Bearer token, but this server requires DPoP-bound tokens (OAuth:Dpop required).")
            : null;

    private void ForgetDpopKey()
    {
        _dpopKey?.Dispose();
        _dpopKey = null;
        _credentials.Dpop = null;
        _credentials.DpopNonce = null;
    }
}
