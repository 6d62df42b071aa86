using System.Net.Http.Headers;
using System.Net.Http.Json;
using McpGrains.Gateway.Tests.Infrastructure;
using McpGrains.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelContextProtocol.Client;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// The real host (co-hosted silo, gateway) configured with an OAuth-protected MCP server ("protected", stateful so that
/// it counts upstream sessions) and an open one ("open"); the C# SDK client talks to <c>/mcp/{serverId}</c> over the
/// in-memory test server, the grains talk to the MCP servers over loopback.
/// </summary>
public sealed class McpEndpointFixture : IAsyncLifetime
{
    public const string ProtectedServerId = "protected";
    public const string OpenServerId = "open";

    /// <summary>The protected server again, with its tool catalog switched off before sign-in.</summary>
    public const string NoCatalogServerId = "nocatalog";

    /// <summary>A server whose URL answers nothing (a closed loopback port): its authorization cannot be discovered.</summary>
    public const string UnreachableServerId = "unreachable";
    public const string PublicBaseUrl = "http://127.0.0.1:5999";
    public const string HostKey = TestConfiguration.AppOneKey;

    public TestAuthorizationServer AuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer ProtectedServer { get; private set; } = null!;

    public ProtectedMcpServer OpenServer { get; private set; } = null!;

    public McpGrainsHostFactory Host { get; private set; } = null!;

    /// <summary>Users' browsers; requests to <see cref="PublicBaseUrl"/> reach the in-memory host.</summary>
    public TestBrowser Browser { get; private set; } = null!;

    public Uri RedirectUri => new($"{PublicBaseUrl}/oauth/callback");

    public async Task InitializeAsync()
    {
        AuthorizationServer = await TestAuthorizationServer.StartAsync();
        ProtectedServer = await ProtectedMcpServer.StartAsync(AuthorizationServer, new ProtectedMcpServerOptions { Stateful = true });
        OpenServer = await ProtectedMcpServer.StartUnprotectedAsync();
        Host = new McpGrainsHostFactory(settings =>
        {
            settings["McpGrains:PublicBaseUrl"] = PublicBaseUrl;
            settings["McpGrains:Security:AllowInsecureLoopback"] = "true";
            settings[$"McpGrains:Servers:{ProtectedServerId}:Url"] = ProtectedServer.McpUri.ToString();
            settings[$"McpGrains:Servers:{ProtectedServerId}:DisplayName"] = "Protected Test";
            settings[$"McpGrains:Servers:{OpenServerId}:Url"] = OpenServer.McpUri.ToString();
            settings[$"McpGrains:Servers:{NoCatalogServerId}:Url"] = ProtectedServer.McpUri.ToString();
            settings[$"McpGrains:Servers:{NoCatalogServerId}:ToolCatalogBeforeSignIn"] = "false";
            settings[$"McpGrains:Servers:{UnreachableServerId}:Url"] = $"http://127.0.0.1:{FreePorts.Next()}/mcp";
        });
        _ = Host.Server; // starts the host (and its silo) now rather than inside the first test
        Browser = new TestBrowser(new Uri(PublicBaseUrl), Host.Server.CreateHandler());
    }

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>An SDK client on <c>/mcp/{serverId}</c> with the host key and the user header.</summary>
    public async Task<McpClient> ConnectClientAsync(string serverId, string userId, McpClientOptions? options = null, string? protocolVersion = "2025-11-25", string? userLabel = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + HostKey,
            ["X-User-Id"] = userId,
        };
        if (userLabel is not null)
        {
            headers["X-User-Label"] = userLabel;
        }

        var http = Host.CreateDefaultClient();
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(Host.Server.BaseAddress, "/mcp/" + serverId),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = headers,
            },
            http,
            ownsHttpClient: true);
        options ??= new McpClientOptions();
        if (protocolVersion is not null)
        {
            options.ProtocolVersion = protocolVersion;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await McpClient.CreateAsync(transport, options, cancellationToken: timeout.Token);
    }

    /// <summary>Plays the user's browser through a sign-in link (confirmation, Continue, provider) and the callback.</summary>
    public async Task CompleteAuthorizationAsync(string signInLink)
    {
        Assert.StartsWith(PublicBaseUrl + "/oauth/start/", signInLink, StringComparison.Ordinal);
        using var response = await Browser.CompleteSignInAsync(signInLink, RedirectUri);
        Assert.True(response.IsSuccessStatusCode, $"the callback answered {(int)response.StatusCode}");
    }

    /// <summary>Connects the user to the protected server (or another of its ids) through the REST API.</summary>
    public async Task ConnectUserAsync(string userId, string serverId = ProtectedServerId)
    {
        using var http = Host.CreateClient(HostKey);
        using var response = await http.PostAsync($"/api/v1/users/{userId}/connections/{serverId}/authorize", content: null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<AuthorizeBody>();
        Assert.NotNull(body?.AuthorizationUrl);
        await CompleteAuthorizationAsync(body.AuthorizationUrl);
    }

    public HttpClient CreateRawClient(string? hostKey, string? userId)
    {
        var http = Host.CreateClient(hostKey);
        if (userId is not null)
        {
            http.DefaultRequestHeaders.Add("X-User-Id", userId);
        }

        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return http;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Browser.Dispose();
        await OpenServer.DisposeAsync();
        await ProtectedServer.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
    }

    private sealed record AuthorizeBody(string Status, string? AuthorizationUrl);
}
