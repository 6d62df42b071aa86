using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Demo;

/// <summary>
/// The demo authorization server's memory: registered clients, authorization requests waiting for the user, codes,
/// access and refresh tokens. Opaque random values; the demo MCP server checks its bearer tokens here.
/// </summary>
public sealed class DemoTokens(TimeProvider time)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, string[]> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DemoAuthorizationRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DemoGrant Grant, DateTimeOffset ExpiresAt)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DemoGrant Grant, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DemoGrant> _refreshTokens = new(StringComparer.Ordinal);
    private int _revocations;

    /// <summary>Revocation requests received (the demo's visible proof that Disconnect signs out upstream).</summary>
    public int Revocations => Volatile.Read(ref _revocations);

    public static string NewValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    public string RegisterClient(string[] redirectUris)
    {
        var clientId = "demo-client-" + NewValue()[..12];
        _clients[clientId] = redirectUris;
        return clientId;
    }

    public bool IsRedirectUriOf(string? clientId, string? redirectUri) =>
        clientId is not null && redirectUri is not null && _clients.TryGetValue(clientId, out var uris) && uris.Contains(redirectUri, StringComparer.Ordinal);

    public string Hold(DemoAuthorizationRequest request)
    {
        var id = NewValue();
        _requests[id] = request;
        return id;
    }

    public DemoAuthorizationRequest? Held(string? id) => id is not null && _requests.TryGetValue(id, out var request) ? request : null;

    public void SignIn(string id, string userName)
    {
        if (_requests.TryGetValue(id, out var request))
        {
            _requests[id] = request with { UserName = userName };
        }
    }

    public DemoAuthorizationRequest? Release(string? id) => id is not null && _requests.TryRemove(id, out var request) ? request : null;

    public string IssueCode(DemoGrant grant)
    {
        var code = NewValue();
        _codes[code] = (grant, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Redeems a code once, for the client it was issued to, with the PKCE verifier of its challenge.</summary>
    public DemoGrant? RedeemCode(string? code, string? clientId, string? redirectUri, string? verifier)
    {
        if (code is null || !_codes.TryRemove(code, out var issued) || issued.ExpiresAt <= time.GetUtcNow() || verifier is null)
        {
            return null;
        }

        var request = issued.Grant.Request;
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return request.ClientId == clientId && request.RedirectUri == redirectUri && request.CodeChallenge == challenge ? issued.Grant : null;
    }

    public (string AccessToken, string RefreshToken) IssueTokens(DemoGrant grant)
    {
        var (access, refresh) = (NewValue(), NewValue());
        _accessTokens[access] = (grant, time.GetUtcNow() + AccessTokenLifetime);
        _refreshTokens[refresh] = grant;
        return (access, refresh);
    }

    /// <summary>Rotates a refresh token: the old one stops working.</summary>
    public DemoGrant? RedeemRefreshToken(string? token, string? clientId) =>
        token is not null && _refreshTokens.TryRemove(token, out var grant) && grant.Request.ClientId == clientId ? grant : null;

    public DemoGrant? Authenticate(string token) =>
        _accessTokens.TryGetValue(token, out var issued) && issued.ExpiresAt > time.GetUtcNow() ? issued.Grant : null;

    public void Revoke(string? token)
    {
        Interlocked.Increment(ref _revocations);
        if (token is not null && !_accessTokens.TryRemove(token, out _))
        {
            _refreshTokens.TryRemove(token, out _);
        }
    }
}
