using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>What a user does through the REST API of a <see cref="RunningHost"/>: connect an account, call a tool, look.</summary>
public static class RunningHostConnections
{
    /// <summary>
    /// <c>authorize</c>, then the user's browser through the authorization server, then the host's callback: the
    /// user's account is connected (asserted). The one place that knows how a sign-in link is followed.
    /// </summary>
    public static async Task ConnectUserAsync(this RunningHost host, string userId, string serverId, string hostKey = RunningHost.HostAKey)
    {
        var authorizationUrl = await host.AuthorizeAsync(userId, serverId, hostKey)
            ?? throw new InvalidOperationException($"authorize for {serverId} answered without a sign-in link.");
        var callback = await host.FollowSignInAsync(authorizationUrl, userId);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        var connection = await host.GetConnectionAsync(userId, serverId, hostKey);
        Assert.Equal("connected", connection.GetProperty("status").GetString());
    }

    /// <summary><c>POST .../authorize</c>: the sign-in link when one is needed, null when the answer has none.</summary>
    public static async Task<string?> AuthorizeAsync(this RunningHost host, string userId, string serverId, string hostKey = RunningHost.HostAKey)
    {
        using var client = host.Client(hostKey);
        using var response = await client.PostAsync($"/api/v1/users/{userId}/connections/{serverId}/authorize", content: null);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("authorizationUrl", out var url) ? url.GetString() : null;
    }

    /// <summary>
    /// The user's browser follows a sign-in link: the confirmation page, Continue, the authorization server, and the
    /// host's callback (with the browser-binding cookie Continue set); the callback's answer.
    /// </summary>
    public static async Task<HttpResponseMessage> FollowSignInAsync(this RunningHost host, string signInLink, string userId)
    {
        using var browser = new TestBrowser();
        return await browser.CompleteSignInAsync(signInLink, new Uri(host.BaseAddress, "/oauth/callback"), userId);
    }

    /// <summary><c>POST .../tools/{tool}</c> with <paramref name="arguments"/>; the raw answer.</summary>
    public static async Task<HttpResponseMessage> CallToolAsync(this RunningHost host, string userId, string serverId, string tool, object? arguments = null, string hostKey = RunningHost.HostAKey)
    {
        using var client = host.Client(hostKey);
        return await client.PostAsJsonAsync($"/api/v1/users/{userId}/connections/{serverId}/tools/{tool}", new { arguments = arguments ?? new { } });
    }

    /// <summary><c>GET .../connections/{serverId}</c> as JSON.</summary>
    public static async Task<JsonElement> GetConnectionAsync(this RunningHost host, string userId, string serverId, string hostKey = RunningHost.HostAKey)
    {
        using var client = host.Client(hostKey);
        using var response = await client.GetAsync($"/api/v1/users/{userId}/connections/{serverId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..12];
}
