using System.Net;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// <c>DELETE /api/v1/users/{userId}</c> (account deletion): the user's tokens are revoked at every configured server's
/// authorization server and their state is gone, while other users, and the same user id in another host app, keep
/// theirs; repeating it changes nothing more.
/// </summary>
public sealed class UserDeletionTests : IAsyncLifetime
{
    private const string First = "first";
    private const string Second = "second";
    private TestAuthorizationServer _authorization = null!;
    private ProtectedMcpServer _first = null!;
    private ProtectedMcpServer _second = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _authorization = await TestAuthorizationServer.StartAsync();
        _first = await ProtectedMcpServer.StartAsync(_authorization);
        _second = await ProtectedMcpServer.StartAsync(_authorization);
        _host = RunningHost.Start(settings =>
        {
            settings[$"McpGrains:Servers:{First}:Url"] = _first.McpUri.ToString();
            settings[$"McpGrains:Servers:{Second}:Url"] = _second.McpUri.ToString();
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _authorization.DisposeAsync();
    }

    [Fact]
    public async Task ForgetUser_RevokesAndForgetsEveryServer_LeavesOthersAlone_AndIsIdempotent()
    {
        var user = RunningHostConnections.NewUser();
        var neighbour = RunningHostConnections.NewUser();
        await _host.ConnectUserAsync(user, First);
        await _host.ConnectUserAsync(user, Second);
        await _host.ConnectUserAsync(neighbour, First);
        await _host.ConnectUserAsync(user, First, RunningHost.HostBKey);
        var revocationsBefore = _authorization.RevocationCount;

        using var client = _host.Client();
        using (var forget = await client.DeleteAsync($"/api/v1/users/{user}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, forget.StatusCode);
        }

        // Each of the two connections revokes its refresh token and its access token.
        Assert.Equal(4, _authorization.RevocationCount - revocationsBefore);
        foreach (var serverId in new[] { First, Second })
        {
            var connection = await _host.GetConnectionAsync(user, serverId);
            Assert.Equal("not_connected", connection.GetProperty("status").GetString());
            using var call = await _host.CallToolAsync(user, serverId, "whoami");
            Assert.Equal(HttpStatusCode.Conflict, call.StatusCode);
        }

        // Another user of the host app, and the same user id in another host app, are untouched.
        foreach (var (userId, hostKey) in new[] { (neighbour, RunningHost.HostAKey), (user, RunningHost.HostBKey) })
        {
            Assert.Equal("connected", (await _host.GetConnectionAsync(userId, First, hostKey)).GetProperty("status").GetString());
            using var call = await _host.CallToolAsync(userId, First, "whoami", hostKey: hostKey);
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        // Again: the same answer, nothing more revoked.
        using (var again = await client.DeleteAsync($"/api/v1/users/{user}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        Assert.Equal(4, _authorization.RevocationCount - revocationsBefore);
    }

    [Theory]
    [InlineData("%7B%7BLIBRECHAT_USER_ID%7D%7D")]
    [InlineData("%20")]
    public async Task ForgetUser_WithABadUserId_Is400(string userId)
    {
        using var client = _host.Client();
        using var response = await client.DeleteAsync($"/api/v1/users/{userId}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ForgetUser_WithoutTheHostKey_Is401()
    {
        using var client = _host.Client(hostKey: null);
        using var response = await client.DeleteAsync($"/api/v1/users/{RunningHostConnections.NewUser()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
