using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Testing.Tests;

/// <summary>A deliberately plain OAuth client used to drive the fixtures in these tests.</summary>
internal sealed class OAuthTestClient(string clientId, string? clientSecret, string method, string redirectUri) : IDisposable
{
    private readonly HttpClient _http = new();

    public string ClientId { get; } = clientId;

    public string RedirectUri { get; } = redirectUri;

    public static (string Verifier, string Challenge) CreatePkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public string BuildAuthorizeUrl(Uri authorizationEndpoint, string state, string challenge, string? scope = null, string? resource = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        if (scope is not null)
        {
            parameters["scope"] = scope;
        }

        if (resource is not null)
        {
            parameters["resource"] = resource;
        }

        return QueryHelpers.AddQueryString(authorizationEndpoint.ToString(), parameters);
    }

    /// <summary>Runs the browser leg and returns the callback's parameters plus the PKCE verifier and state used.</summary>
    public async Task<AuthorizationResult> AuthorizeAsync(
        TestBrowser browser, Uri authorizationEndpoint, string user = "test-user", string? scope = null, string? resource = null)
    {
        var (verifier, challenge) = CreatePkce();
        var state = Guid.NewGuid().ToString("N");
        var callback = await browser.FollowToAsync(BuildAuthorizeUrl(authorizationEndpoint, state, challenge, scope, resource), new Uri(RedirectUri), user);
        return new AuthorizationResult(ParseQuery(callback), verifier, state);
    }

    public Task<TokenResult> RedeemCodeAsync(Uri tokenEndpoint, string code, string verifier, string? resource = null) =>
        PostAsync(tokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }, resource);

    public Task<TokenResult> RefreshAsync(Uri tokenEndpoint, string refreshToken, string? resource = null) =>
        PostAsync(tokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, resource);

    public Task<TokenResult> RevokeAsync(Uri revocationEndpoint, string token) =>
        PostAsync(revocationEndpoint, new Dictionary<string, string> { ["token"] = token }, resource: null);

    public void Dispose() => _http.Dispose();

    public static Dictionary<string, string> ParseQuery(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());

    private async Task<TokenResult> PostAsync(Uri endpoint, Dictionary<string, string> form, string? resource)
    {
        if (resource is not null)
        {
            form["resource"] = resource;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        switch (method)
        {
            case "client_secret_basic":
                var credentials = Uri.EscapeDataString(ClientId) + ":" + Uri.EscapeDataString(clientSecret!);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case "client_secret_post":
                form["client_id"] = ClientId;
                form["client_secret"] = clientSecret!;
                break;
            default:
                form["client_id"] = ClientId;
                break;
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new TokenResult(response.StatusCode, json);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
