using System.Net;
using McpGrains.Grains;
using McpGrains.Grains.Servers;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A configured client secret stays with the authorization server it was issued by: a server that later names another
/// issuer (in a 401's resource metadata) gets a clear <c>issuer_changed</c> error, and the new issuer never sees the
/// secret or the client id (issue 10, finding 4).
/// </summary>
public sealed class IssuerPinTests : IAsyncLifetime
{
    private const string ServerId = "pinned";
    private const string ClientId = "pinned-client";
    private const string ClientSecret = "pinned-secret-0123456789abcdef";

    // The host's callback URL is known only once it runs; the authorization servers read this list when asked.
    private readonly List<string> _redirectUris = [];
    private TestAuthorizationServer _original = null!;
    private TestAuthorizationServer _other = null!;
    private ProtectedMcpServer _mcp = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _original = await StartAuthorizationServerAsync();
        _other = await StartAuthorizationServerAsync();
        _mcp = await ProtectedMcpServer.StartAsync(_original);
    }

    [Fact]
    public async Task RediscoveredIssuer_WithConfiguredSecret_IsRefused_AndTheSecretNeverGoesThere()
    {
        StartHost(pinnedIssuer: null);
        var user = RunningHostConnections.NewUser();
        await _host.ConnectUserAsync(user, ServerId);
        using (var before = await _host.CallToolAsync(user, ServerId, "whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // The pin is part of the server's stored state, not of one activation.
        Assert.Equal(_original.Issuer, (await ReadServerStateAsync()).PinnedIssuer);

        _mcp.SwitchAuthorizationServer(_other);
        using var after = await _host.CallToolAsync(user, ServerId, "whoami");

        // Whatever McpGrains asks of the user next, the user does: a sign-in link is followed.
        var link = await _host.AuthorizeAsync(user, ServerId);
        if (link is not null)
        {
            using var _ = await _host.FollowSignInAsync(link, user);
        }

        Assert.Equal(0, _other.TokenRequestCount);
        Assert.Equal(0, _other.AuthorizeRequestCount);
        Assert.Null(link);
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
        var connection = await _host.GetConnectionAsync(user, ServerId);
        Assert.Equal("error", connection.GetProperty("status").GetString());
        Assert.Equal("issuer_changed", connection.GetProperty("lastError").GetProperty("code").GetString());
        Assert.Contains(_other.Issuer, connection.GetProperty("lastError").GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 1110 && e.Message.Contains(_other.Issuer, StringComparison.Ordinal));
        Assert.Null(_host.Logs.FindAny([ClientSecret]));
    }

    [Fact]
    public async Task ConfiguredIssuer_OtherThanTheOneDiscovered_IsRefusedBeforeAnyRequestToIt()
    {
        StartHost(pinnedIssuer: _other.Issuer);
        var user = RunningHostConnections.NewUser();

        var link = await _host.AuthorizeAsync(user, ServerId);

        Assert.Null(link);
        Assert.Equal(0, _original.TokenRequestCount);
        Assert.Equal(0, _original.AuthorizeRequestCount);
        var connection = await _host.GetConnectionAsync(user, ServerId);
        Assert.Equal("error", connection.GetProperty("status").GetString());
        Assert.Equal("issuer_changed", connection.GetProperty("lastError").GetProperty("code").GetString());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _mcp.DisposeAsync();
        await _other.DisposeAsync();
        await _original.DisposeAsync();
    }

    private async Task<McpServerState> ReadServerStateAsync()
    {
        var grainId = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IMcpServerGrain>(ServerId).GetGrainId();
        var state = new GrainState<McpServerState>();
        await _host.Services.GetRequiredKeyedService<IGrainStorage>(McpGrainsStorage.Name).ReadStateAsync("server", grainId, state);
        return Assert.IsType<McpServerState>(state.State);
    }

    private Task<TestAuthorizationServer> StartAuthorizationServerAsync() =>
        // Both know the client (as a provider migration would carry it over), so a misdirected sign-in would work.
        TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            PreRegisteredClients = [new PreRegisteredClient { ClientId = ClientId, ClientSecret = ClientSecret, RedirectUris = _redirectUris }],
        });

    private void StartHost(string? pinnedIssuer)
    {
        _host = RunningHost.Start(settings =>
        {
            settings[$"McpGrains:Servers:{ServerId}:Url"] = _mcp.McpUri.ToString();
            settings[$"McpGrains:Servers:{ServerId}:OAuth:ClientId"] = ClientId;
            settings[$"McpGrains:Servers:{ServerId}:OAuth:ClientSecret"] = ClientSecret;
            if (pinnedIssuer is not null)
            {
                settings[$"McpGrains:Servers:{ServerId}:OAuth:Issuer"] = pinnedIssuer;
            }
        });
        _redirectUris.Add(new Uri(_host.BaseAddress, "/oauth/callback").ToString());
    }
}
