using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Grains.Upstream;
using ModelContextProtocol;

namespace McpGrains.Grains.Sessions;

// The pending authorization shown to downstream observers of the session.
public sealed partial class McpSessionGrain
{
    public Task<PendingAuthorizationInfo?> GetPendingAuthorizationAsync(string? userLabel, string? identity = null, CancellationToken cancellationToken = default)
    {
        RememberSubject(userLabel, identity);
        return ExclusiveAsync(GetPendingAuthorizationLockedAsync, cancellationToken);
    }

    private async Task<PendingAuthorizationInfo?> GetPendingAuthorizationLockedAsync(CancellationToken cancellationToken)
    {
        var server = await GetServerAsync(cancellationToken);
        if (server.Outcome != ServerAuthorizationOutcome.Ready || UsesSharedToken || IdentityAssertionOnly)
        {
            // No sign-in link for servers without a browser sign-in.
            return null;
        }

        if (_machine.HasTokens && _machine.Status == ConnectionStatus.Connected)
        {
            var token = await GetAccessTokenCoreAsync(server.Authorization!, cancellationToken);
            if (token.Outcome == AccessTokenOutcome.Token)
            {
                return null;
            }
        }

        var pending = ReusablePending()
            ?? await BeginAuthorizationCoreAsync(server.Authorization!, returnUrl: null, cancellationToken);
        return pending is null ? null : DescribePending(pending);
    }

    private PendingAuthorizationInfo DescribePending(PendingAuthorization pending) => new(
        Reveal(pending.ProtectedSignInLink, SecretContexts.SignInLink(_key)),
        pending.ElicitationId,
        pending.ExpiresAt,
        _machine.Status);
}
