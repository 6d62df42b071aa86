using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// The anchor of the refresh storm: a bare HttpClient that gets refresh tokens from the test authorization server with
/// a pre-registered public client, then redeems them with no gateway in between.
/// </summary>
public sealed class BareOAuthClient : IDisposable
{
    public const string ClientId = "bench-bare";
    public const string RedirectUri = "http://127.0.0.1:1/callback";

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 1024 });
    private readonly TestAuthorizationServer _server;
    private readonly string _resource;

    public BareOAuthClient(TestAuthorizationServer server, string resource)
    {
        _server = server;
        _resource = resource;
    }

    public static PreRegisteredClient Registration => new() { ClientId = ClientId, RedirectUris = [RedirectUri] };

    /// <summary>Authorization code flow through the browser; returns the refresh token.</summary>
    public async Task<string> ObtainRefreshTokenAsync(TestBrowser browser, string user)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var url = $"{_server.AuthorizationEndpoint}?response_type=code&client_id={ClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&code_challenge={challenge}&code_challenge_method=S256&state={state}&scope={Uri.EscapeDataString("mcp:read offline_access")}"
            + $"&resource={Uri.EscapeDataString(_resource)}";
        var callback = await browser.FollowToAsync(url, new Uri(RedirectUri), user);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"] ?? throw new InvalidOperationException("No code in the callback.");
        var tokens = await PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = ClientId,
            ["resource"] = _resource,
        });
        return tokens.GetProperty("refresh_token").GetString()!;
    }

    /// <summary>One refresh; returns the rotated refresh token.</summary>
    public async Task<string> RefreshAsync(string refreshToken)
    {
        var tokens = await PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = ClientId,
            ["resource"] = _resource,
        });
        return tokens.TryGetProperty("refresh_token", out var rotated) ? rotated.GetString()! : refreshToken;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> PostAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(_server.TokenEndpoint, content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token endpoint answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
