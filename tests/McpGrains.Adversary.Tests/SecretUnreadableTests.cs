using System.Net;
using System.Net.Http.Json;
using McpGrains.Grains;
using McpGrains.Grains.Sessions;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Orleans.Storage;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// Stored secrets that this node cannot decrypt (a data key wrapped under another master key, a ciphertext damaged in
/// the database) are a clear error: problem+json with <c>code: secret_unreadable</c> on REST, an MCP error with that
/// code on /mcp, never a bare 500; and the user can still disconnect and start over.
/// </summary>
public sealed class SecretUnreadableTests(ProtectedUpstream upstream) : IClassFixture<ProtectedUpstream>, IAsyncLifetime
{
    private const string ServerId = ProtectedUpstream.ServerId;
    private const string Code = "secret_unreadable";
    private RunningHost _host = null!;

    public Task InitializeAsync()
    {
        _host = upstream.StartHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DataKeyThatDoesNotDecrypt_IsSecretUnreadable_OnRestAndMcp_AndDisconnectStartsOver()
    {
        const string user = "alice";
        using var client = _host.Client();
        await BeginAuthorizationAsync(client, user);
        await DamageAsync<SessionDataKeyState>(user, McpGrainsStorage.KeysName, "data-key", state => Flip(state.WrappedKey!));

        using var status = await client.GetAsync($"/api/v1/users/{user}/connections/{ServerId}");
        using var call = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/{ServerId}/tools/echo", new { arguments = new { message = "hi" } });
        var mcpError = await CallOverMcpAsync(user);

        await AssertSecretUnreadableAsync(status);
        await AssertSecretUnreadableAsync(call);
        Assert.Equal(Code, mcpError.Data["code"]?.ToString());
        Assert.Contains("check McpGrains:Security:Keys", mcpError.Message, StringComparison.Ordinal);

        using var disconnect = await client.DeleteAsync($"/api/v1/users/{user}/connections/{ServerId}");
        Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        await BeginAuthorizationAsync(client, user);
    }

    [Fact]
    public async Task CiphertextThatDoesNotDecrypt_IsSecretUnreadable()
    {
        const string user = "bob";
        using var client = _host.Client();
        await BeginAuthorizationAsync(client, user);
        await DamageAsync<McpSessionState>(user, McpGrainsStorage.Name, "session", state => Flip(state.Pending!.ProtectedSignInLink));

        using var call = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/{ServerId}/tools/echo", new { arguments = new { message = "hi" } });

        await AssertSecretUnreadableAsync(call);
    }

    private static async Task BeginAuthorizationAsync(HttpClient client, string user)
    {
        using var authorize = await client.PostAsync($"/api/v1/users/{user}/connections/{ServerId}/authorize", null);
        var body = await authorize.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(authorize.StatusCode == HttpStatusCode.OK, $"authorize answered {(int)authorize.StatusCode}: {body}");
        Assert.Equal("authorization_required", body.GetProperty("status").GetString());
    }

    /// <summary>Changes a stored state of the user's session grain the way a damaged row or another key would, then lets the grain load it afresh.</summary>
    private async Task DamageAsync<TState>(string user, string storageName, string stateName, Action<TState> damage)
    {
        var services = _host.Services;
        var grains = services.GetRequiredService<IGrainFactory>();
        var grainId = grains.GetGrain<IMcpSessionGrain>(new McpSessionKey(RunningHost.HostA, user, ServerId).Format()).GetGrainId();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(storageName);
        var state = new GrainState<TState>();
        await storage.ReadStateAsync(stateName, grainId, state);
        Assert.True(state.RecordExists, $"no stored {stateName} state for {user}");
        damage(state.State!);
        await storage.WriteStateAsync(stateName, grainId, state);
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }

    private static void Flip(byte[] ciphertext) => ciphertext[^1] ^= 0x55;

    private async Task<McpProtocolException> CallOverMcpAsync(string user)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(_host.BaseAddress, "/mcp/" + ServerId),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string>
                {
                    ["Authorization"] = "Bearer " + RunningHost.HostAKey,
                    [McpWire.UserHeader] = user,
                },
            });
        await using var mcp = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        return await Assert.ThrowsAsync<McpProtocolException>(async () => await mcp.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" }));
    }

    private static async Task AssertSecretUnreadableAsync(HttpResponseMessage response)
    {
        var problem = await Problems.AssertAsync(response, HttpStatusCode.InternalServerError, Code);
        Assert.Contains("check McpGrains:Security:Keys", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
