using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using McpGrains.Security;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// A running host with one OAuth-protected MCP server (<see cref="ServerId"/>) behind the project's test authorization
/// server, which consents at once for the user named in <see cref="TestAuthorizationServer.UserHeader"/>: whoever
/// finishes a sign-in in a browser connects that browser's account. Host apps <see cref="RunningHost.HostA"/> and
/// <see cref="RunningHost.HostB"/> share the server (and so its client registration).
/// </summary>
public class SignInTestBed : IAsyncLifetime
{
    public const string ServerId = "demo";
    public const string ServerDisplayName = "Demo <Tools>";
    public const string HostADisplayName = "Chat A";
    public const string HostBDisplayName = "Chat B";
    public const string ReturnBase = "https://chat.example.com/back/";

    /// <summary>The host's only encryption key, known here so that tests can seal states and tickets as an insider would.</summary>
    public static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer Server { get; private set; } = null!;

    public RunningHost Host { get; private set; } = null!;

    /// <summary>The host's redirect URI; where the authorization server sends browsers back.</summary>
    public Uri CallbackPrefix => new(Host.BaseAddress, "/oauth/callback");

    /// <summary>The front end's state codec (same keys as the host).</summary>
    public static AuthorizationStateCodec StateCodec => new(KeyRing);

    public static KeyRing KeyRing => new(new Dictionary<string, string> { ["k1"] = EncryptionKey }, "k1");

    public virtual async Task InitializeAsync()
    {
        AuthorizationServer = await TestAuthorizationServer.StartAsync();
        Server = await ProtectedMcpServer.StartAsync(AuthorizationServer);
        Host = RunningHost.Start(Apply);
    }

    /// <summary>
    /// Another front end with the same settings and keys behind the same public URL, where a browser's request may land
    /// (its own cluster: it serves what needs no grain of the first, such as the OpenID Connect callback).
    /// </summary>
    public RunningHost StartAnotherFrontEnd() => RunningHost.Start(settings =>
    {
        settings["McpGrains:PublicBaseUrl"] = Host.BaseAddress.GetLeftPart(UriPartial.Authority);
        Apply(settings);
    });

    private void Apply(Dictionary<string, string?> settings)
    {
        settings["McpGrains:Security:Keys:k1"] = EncryptionKey;
        settings["McpGrains:Security:AllowedReturnUrls:0"] = ReturnBase;
        settings[$"McpGrains:Servers:{ServerId}:Url"] = Server.McpUri.ToString();
        settings[$"McpGrains:Servers:{ServerId}:DisplayName"] = ServerDisplayName;
        settings[$"McpGrains:HostApps:{RunningHost.HostA}:DisplayName"] = HostADisplayName;
        settings[$"McpGrains:HostApps:{RunningHost.HostB}:DisplayName"] = HostBDisplayName;
        Configure(settings);
    }

    /// <summary>Headers a derived bed's host apps send with a user's calls (e.g. the identity header of binding mode oidc).</summary>
    protected virtual void AddUserHeaders(HttpClient client, string user)
    {
    }

    /// <summary>Every log category at Trace, as an operator chasing a problem might set it.</summary>
    protected static void LogEverything(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        settings["Logging:LogLevel:McpGrains"] = "Trace";
    }

    /// <summary>More settings for a derived bed.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary><c>POST .../authorize</c> with an optional body; the caller reads the answer.</summary>
    public async Task<HttpResponseMessage> PostAuthorizeAsync(string user, string hostKey = RunningHost.HostAKey, object? body = null)
    {
        using var client = Host.Client(hostKey);
        return await client.PostAsync($"/api/v1/users/{Uri.EscapeDataString(user)}/connections/{ServerId}/authorize", body is null ? null : JsonContent.Create(body));
    }

    /// <summary>The sign-in link <c>authorize</c> hands out for the user.</summary>
    public async Task<string> AuthorizeAsync(string user, string hostKey = RunningHost.HostAKey, string? userLabel = null, string? returnUrl = null)
    {
        using var response = await PostAuthorizeAsync(user, hostKey, userLabel is null && returnUrl is null ? null : new { userLabel, returnUrl });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"authorize answered {(int)response.StatusCode}: {body}");
        Assert.Equal("authorization_required", body.GetProperty("status").GetString());
        return body.GetProperty("authorizationUrl").GetString()!;
    }

    /// <summary>
    /// What a user who started a sign-in holds after pressing Continue in their browser: the authorization server URL
    /// (with the sealed state). A link that already is an authorization server URL is that URL.
    /// </summary>
    public async Task<Uri> ContinueAsync(TestBrowser browser, string link, string user) =>
        link.StartsWith(Host.BaseAddress.ToString(), StringComparison.Ordinal)
            ? await browser.ContinueAsync(link, user)
            : new Uri(link);

    /// <summary>Plays <paramref name="user"/>'s browser through the authorization server and lands on the callback.</summary>
    public async Task<SignInPage> FinishAtProviderAsync(TestBrowser browser, Uri authorizationUrl, string user)
    {
        var callback = await browser.FollowToAsync(authorizationUrl.ToString(), CallbackPrefix, user);
        using var response = await browser.GetAsync(callback, user);
        return new SignInPage(callback, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Whose account the user's connection holds (the upstream's <c>whoami</c>), or null when it holds none.</summary>
    public async Task<string?> WhoAmIAsync(string user, string hostKey = RunningHost.HostAKey)
    {
        using var client = Host.Client(hostKey);
        AddUserHeaders(client, user);
        using var response = await client.PostAsJsonAsync($"/api/v1/users/{Uri.EscapeDataString(user)}/connections/{ServerId}/tools/whoami", new { });
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"whoami answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("content")[0].GetProperty("text").GetString();
    }

    public async Task<JsonElement> ConnectionAsync(string user, string hostKey = RunningHost.HostAKey)
    {
        using var client = Host.Client(hostKey);
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{Uri.EscapeDataString(user)}/connections/{ServerId}");
    }

    public virtual async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Server.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }
}
