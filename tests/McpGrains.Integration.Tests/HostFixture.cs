using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using McpGrains.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpGrains.Integration.Tests;

/// <summary>
/// The real host (silo and front end in one process, as `dotnet run` starts it) configured with the project's OAuth
/// authorization server, a protected and an open MCP server, and server-everything from npm in both transports.
/// Every log line of the host is captured.
/// </summary>
public sealed class HostFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string HostA = "host-a";
    public const string HostAKey = "host-a-key-0123456789abcdef";
    public const string HostB = "host-b";
    public const string HostBKey = "host-b-key-0123456789abcdef";
    public const string PublicBaseUrl = "http://127.0.0.1:5998";
    public const string ReturnBase = "https://chat.example.com/";

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer ProtectedServer { get; private set; } = null!;

    public ProtectedMcpServer OpenServer { get; private set; } = null!;

    public EverythingServer EverythingSse { get; private set; } = null!;

    public EverythingServer EverythingStreamable { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    /// <summary>Users' browsers; requests to <see cref="PublicBaseUrl"/> reach the in-memory host.</summary>
    public TestBrowser Browser => _browser ??= new TestBrowser(new Uri(PublicBaseUrl), Server.CreateHandler());

    private TestBrowser? _browser;

    public Uri CallbackPrefix => new($"{PublicBaseUrl}/oauth/callback");

    public async Task InitializeAsync()
    {
        AuthorizationServer = await TestAuthorizationServer.StartAsync();
        ProtectedServer = await ProtectedMcpServer.StartAsync(AuthorizationServer);
        OpenServer = await ProtectedMcpServer.StartUnprotectedAsync();
        EverythingSse = await EverythingServer.StartAsync("sse");
        EverythingStreamable = await EverythingServer.StartAsync("streamableHttp");
    }

    public HttpClient Client(string? hostKey = HostAKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (hostKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hostKey);
        }

        return client;
    }

    /// <summary>Authorize through REST, play the browser, land on the host's callback: a connected user.</summary>
    public async Task<HttpResponseMessage> ConnectAsync(string userId, string serverId = "protected", string hostKey = HostAKey, string? returnUrl = null)
    {
        using var client = Client(hostKey);
        using var authorize = await client.PostAsync(
            $"/api/v1/users/{userId}/connections/{serverId}/authorize",
            returnUrl is null ? null : JsonContent.Create(new { returnUrl }));
        authorize.EnsureSuccessStatusCode();
        var body = await authorize.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("authorization_required", body.GetProperty("status").GetString());
        return await Browser.CompleteSignInAsync(body.GetProperty("authorizationUrl").GetString()!, CallbackPrefix, userId);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = PublicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:AllowedReturnUrls:0"] = ReturnBase,
            ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            [$"McpGrains:HostApps:{HostA}:ApiKey"] = HostAKey,
            [$"McpGrains:HostApps:{HostB}:ApiKey"] = HostBKey,
            ["McpGrains:Servers:protected:Url"] = ProtectedServer.McpUri.ToString(),
            ["McpGrains:Servers:open:Url"] = OpenServer.McpUri.ToString(),
            ["McpGrains:Servers:everything-sse:Url"] = EverythingSse.Endpoint.ToString(),
            ["McpGrains:Servers:everything-sse:Transport"] = "sse",
            ["McpGrains:Servers:everything-http:Url"] = EverythingStreamable.Endpoint.ToString(),
            ["McpGrains:Servers:everything-http:Transport"] = "streamable-http",
            ["McpGrains:Orleans:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["McpGrains:Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Trace",
        };
        // AllowInsecureLoopback (loopback OAuth and MCP servers) is a development setting: the host refuses it elsewhere.
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _browser?.Dispose();
        await EverythingStreamable.DisposeAsync();
        await EverythingSse.DisposeAsync();
        await OpenServer.DisposeAsync();
        await ProtectedServer.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }
}
