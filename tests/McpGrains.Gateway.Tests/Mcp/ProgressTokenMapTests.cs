using System.Text.Json.Nodes;
using McpGrains.Gateway.Mcp;
using Microsoft.Extensions.Time.Testing;

namespace McpGrains.Gateway.Tests.Mcp;

public sealed class ProgressTokenMapTests
{
    private static readonly McpSessionKey Alice = new("host-a", "alice", "demo");
    private static readonly McpSessionKey Mallory = new("host-a", "mallory", "demo");
    private static readonly McpSessionKey OtherTenant = new("host-b", "alice", "demo");

    [Fact]
    public void RewrittenToken_ResolvesOnlyForTheSessionKeyWhoseRequestCarriedIt()
    {
        var map = new ProgressTokenMap(new FakeTimeProvider());
        var session = new DownstreamSession(Alice, "s1");

        var token = map.Register(session, requestServer: null!, JsonValue.Create("client-token")!);

        Assert.True(map.TryResolve(Alice, token, out var owner, out _, out var original));
        Assert.Same(session, owner);
        Assert.Equal("client-token", original!.GetValue<string>());
        Assert.False(map.TryResolve(Mallory, token, out _, out _, out _));
        Assert.False(map.TryResolve(OtherTenant, token, out _, out _, out _));
    }

    [Fact]
    public void RewrittenTokens_AreRandom_NotACounterUnderANodePrefix()
    {
        var map = new ProgressTokenMap(new FakeTimeProvider());
        var session = new DownstreamSession(Alice, "s1");

        var tokens = Enumerable.Range(0, 1000).Select(_ => map.Register(session, null!, JsonValue.Create(1)!)).ToList();

        Assert.All(tokens, token => Assert.Matches("^mcpgrains-[A-Za-z0-9_-]{24}$", token));
        // 144 random bits each: no two share even their first 48 bits.
        Assert.Equal(tokens.Count, tokens.Select(token => token[..(ProgressTokenMap.Prefix.Length + 8)]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ReleasedToken_ResolvesUntilTheReleaseDelayHasPassed()
    {
        var time = new FakeTimeProvider();
        var map = new ProgressTokenMap(time);
        var token = map.Register(new DownstreamSession(Alice, "s1"), null!, JsonValue.Create(1)!);

        map.Release(token);
        time.Advance(ProgressTokenMap.ReleaseDelay - TimeSpan.FromSeconds(1));
        var before = map.TryResolve(Alice, token, out _, out _, out _);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(before);
        Assert.False(map.TryResolve(Alice, token, out _, out _, out _));
    }
}
