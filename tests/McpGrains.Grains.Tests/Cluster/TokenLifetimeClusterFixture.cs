using System.Globalization;
using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// The session cluster plus one protected MCP server per access-token lifetime, each behind its own authorization
/// server (on the shared clock) that rotates refresh tokens and detects their reuse; and one whose token responses
/// carry no <c>expires_in</c>. The refresh skew keeps its default (one minute), longer than most of these lifetimes.
/// </summary>
public sealed class TokenLifetimeClusterFixture : SessionClusterFixture
{
    /// <summary>The server whose authorization server omits <c>expires_in</c> (its tokens lapse after a day).</summary>
    public const string NoExpiryServerId = "ttl-none";

    public static readonly TimeSpan NoExpiryLifetime = TimeSpan.FromDays(1);

    public static readonly int[] LifetimeSeconds = [5, 20, 60, 3600];

    private readonly Dictionary<string, (TestAuthorizationServer Authorization, ProtectedMcpServer Mcp)> _servers = new(StringComparer.Ordinal);

    public static string ServerId(int lifetimeSeconds) => "ttl-" + lifetimeSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The authorization server behind <paramref name="serverId"/>.</summary>
    public TestAuthorizationServer AuthorizationServerOf(string serverId) => _servers[serverId].Authorization;

    protected override async Task AddServersAsync(Dictionary<string, string?> settings)
    {
        foreach (var seconds in LifetimeSeconds)
        {
            await AddAsync(settings, ServerId(seconds), new TestAuthorizationServerOptions { TimeProvider = Clock, AccessTokenLifetime = TimeSpan.FromSeconds(seconds) });
        }

        await AddAsync(settings, NoExpiryServerId, new TestAuthorizationServerOptions { TimeProvider = Clock, AccessTokenLifetime = NoExpiryLifetime, OmitExpiresIn = true });
    }

    protected override async ValueTask DisposeServersAsync()
    {
        foreach (var (authorization, mcp) in _servers.Values)
        {
            await mcp.DisposeAsync();
            await authorization.DisposeAsync();
        }
    }

    private async Task AddAsync(Dictionary<string, string?> settings, string serverId, TestAuthorizationServerOptions options)
    {
        var authorization = await TestAuthorizationServer.StartAsync(options);
        var mcp = await ProtectedMcpServer.StartAsync(authorization);
        _servers[serverId] = (authorization, mcp);
        settings["McpGrains:Servers:" + serverId + ":Url"] = mcp.McpUri.ToString();
    }
}
