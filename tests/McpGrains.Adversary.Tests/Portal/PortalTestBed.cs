using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Adversary.Tests.SignIn;

namespace McpGrains.Adversary.Tests.Portal;

/// <summary>The sign-in test bed with host app A offering its users the connections page (<c>ConnectionsPage=true</c>).</summary>
public sealed class PortalTestBed : SignInTestBed
{
    protected override void Configure(Dictionary<string, string?> settings) =>
        settings[$"McpGrains:HostApps:{RunningHost.HostA}:ConnectionsPage"] = "true";

    /// <summary><c>POST /api/v1/users/{user}/portal-links</c>: the link and its expiry.</summary>
    public async Task<(string Url, DateTimeOffset ExpiresAt)> PortalLinkAsync(string user, string hostKey = RunningHost.HostAKey)
    {
        using var client = Host.Client(hostKey);
        using var response = await client.PostAsync($"/api/v1/users/{Uri.EscapeDataString(user)}/portal-links", content: null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"portal-links answered {(int)response.StatusCode}: {body}");
        return (body.GetProperty("url").GetString()!, body.GetProperty("expiresAt").GetDateTimeOffset());
    }
}
