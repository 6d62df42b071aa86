using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Testing;

/// <summary>
/// Third-party authorization flow: this server is the MCP server's own authorization server and sends the user on to
/// <see cref="TestAuthorizationServerOptions.DelegateTo"/>, as its registered client with its own PKCE, before
/// issuing its own code. The client sees an ordinary authorization-code flow.
/// </summary>
public sealed partial class TestAuthorizationServer
{
    private void MapDelegation(IEndpointRouteBuilder app)
    {
        if (_options.DelegateTo is not null)
        {
            app.MapGet(_options.IssuerPath + "/upstream-callback", (Func<HttpContext, Task<IResult>>)CompleteDelegationAsync);
        }
    }

    private void RegisterWithThirdParty(TestAuthorizationServer thirdParty)
    {
        var client = new RegisteredClient(
            ClientId: "delegating_" + Guid.NewGuid().ToString("N"),
            ClientSecret: OAuthRandom.NewSecret("upstream_secret"),
            RedirectUris: [UpstreamCallbackUri.ToString()],
            GrantTypes: ["authorization_code", "refresh_token"],
            TokenEndpointAuthMethod: "client_secret_basic",
            ApplicationType: "web",
            ClientName: "delegating authorization server",
            DynamicallyRegistered: false);
        thirdParty.AddClient(client);
        _upstreamClient = client;
        _upstreamHttp = new HttpClient();
    }

    private IResult BeginDelegation(
        TestAuthorizationServer thirdParty,
        string clientId,
        string redirectUri,
        string? state,
        string? codeChallenge,
        IReadOnlyList<string> scopes,
        string? resource)
    {
        var upstreamVerifier = OAuthRandom.NewSecret("verifier");
        string upstreamState;
        lock (_sync)
        {
            _issuedSecrets.Add(upstreamVerifier);
            upstreamState = NewSecretLocked("upstream_state");
            _pendingDelegations[upstreamState] = new PendingDelegation(clientId, redirectUri, state, codeChallenge, scopes, resource, upstreamVerifier);
        }

        var upstreamUrl = QueryHelpers.AddQueryString(thirdParty.AuthorizationEndpoint.ToString(), new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = _upstreamClient!.ClientId,
            ["redirect_uri"] = UpstreamCallbackUri.ToString(),
            ["state"] = upstreamState,
            ["code_challenge"] = OAuthRandom.S256Challenge(upstreamVerifier),
            ["code_challenge_method"] = "S256",
        });
        return Results.Redirect(upstreamUrl);
    }

    private async Task<IResult> CompleteDelegationAsync(HttpContext context)
    {
        var thirdParty = _options.DelegateTo!;
        var query = context.Request.Query;
        PendingDelegation? pending;
        lock (_sync)
        {
            _pendingDelegations.Remove(query["state"].ToString(), out pending);
        }

        if (pending is null)
        {
            return ErrorPage("invalid_request", "Unknown or already used upstream state.");
        }

        if (thirdParty.Options.AdvertiseIssParameter && query["iss"].ToString() != thirdParty.Issuer)
        {
            return AuthorizationErrorRedirect(pending.RedirectUri, pending.ClientState, "server_error", "The third-party issuer did not match.");
        }

        if (query.ContainsKey("error"))
        {
            return AuthorizationErrorRedirect(pending.RedirectUri, pending.ClientState, "access_denied", "The third-party authorization was not granted.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, thirdParty.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = query["code"].ToString(),
                ["redirect_uri"] = UpstreamCallbackUri.ToString(),
                ["code_verifier"] = pending.UpstreamCodeVerifier,
            }),
        };
        var credentials = Uri.EscapeDataString(_upstreamClient!.ClientId) + ":" + Uri.EscapeDataString(_upstreamClient.ClientSecret!);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await _upstreamHttp!.SendAsync(request, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            return AuthorizationErrorRedirect(pending.RedirectUri, pending.ClientState, "server_error", "The third-party token exchange failed.");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.RequestAborted));
        var thirdPartyToken = body.RootElement.GetProperty("access_token").GetString()!;
        if (!thirdParty.IsAccessTokenValid(thirdPartyToken, out var thirdPartyInfo))
        {
            return AuthorizationErrorRedirect(pending.RedirectUri, pending.ClientState, "server_error", "The third-party token is not valid.");
        }

        lock (_sync)
        {
            _delegatedGrants.Add(new DelegatedGrant(thirdPartyInfo.Subject, thirdPartyToken));
        }

        // The user is whoever the third party says it is, not whatever header reached this callback.
        var code = IssueAuthorizationCode(pending.ClientId, pending.RedirectUri, pending.CodeChallenge, thirdPartyInfo.Subject, pending.Scopes, pending.Resource);
        return AuthorizationSuccessRedirect(pending.RedirectUri, pending.ClientState, code);
    }
}
