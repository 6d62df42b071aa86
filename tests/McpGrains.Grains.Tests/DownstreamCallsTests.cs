using McpGrains.Downstream;
using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests;

/// <summary>
/// Progress tokens of downstream requests travel upstream rewritten: random (nobody can guess another request's),
/// known only to the session grain of the key whose upstream the request went to, and forgotten with the call (progress
/// sent before the answer is counted into it and written first; later progress has no request to go to).
/// </summary>
public sealed class DownstreamCallsTests
{
    private static DownstreamCaller Caller() =>
        new("session", new NoEndpoint(), 1, "2025-11-25", DownstreamCapabilities.None, "\"client-token\"");

    [Fact]
    public async Task BeforeAnyCall_LookupsAndAnswersFindNothing_ThenTheFirstCallIsFound()
    {
        var calls = new DownstreamCalls();

        Assert.False(calls.TryGetByProgressToken("mcpgrains-x", out _));
        Assert.Null(calls.FindCaller(_ => true));
        Assert.False(calls.Deliver("session", "mcpgrains-x", "{}"));
        calls.Forget("mcpgrains-x");

        var call = calls.Begin(Caller());
        Assert.Same(call, calls.FindCaller(_ => true));
        var (id, answer) = calls.Expect("session");
        Assert.True(calls.Deliver("session", id, "{\"ok\":true}"));
        Assert.Equal("{\"ok\":true}", await answer);
    }

    [Fact]
    public void RewrittenTokens_AreRandom_NotACounter()
    {
        var calls = new DownstreamCalls();

        var tokens = Enumerable.Range(0, 1000).Select(_ => calls.Begin(Caller()).ProgressToken!).ToList();

        Assert.All(tokens, token => Assert.Matches("^mcpgrains-[A-Za-z0-9_-]{24}$", token));
        Assert.Equal(tokens.Count, tokens.Select(token => token[..18]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Token_ResolvesOnlyInTheGrainWhoseUpstreamTheCallWentTo_AndUntilTheCallEnds()
    {
        var alice = new DownstreamCalls();
        var mallory = new DownstreamCalls();
        var call = alice.Begin(Caller());

        Assert.True(alice.TryGetByProgressToken(call.ProgressToken!, out var found));
        Assert.Same(call, found);
        Assert.False(mallory.TryGetByProgressToken(call.ProgressToken!, out _));

        alice.End(call);
        Assert.False(alice.TryGetByProgressToken(call.ProgressToken!, out _));
    }

    [Fact]
    public void ClientAnswer_IsTakenOnlyFromTheSessionItWasSentTo()
    {
        var calls = new DownstreamCalls();
        var (id, answer) = calls.Expect("session-a");

        Assert.False(calls.Deliver("session-b", id, "{}"));
        Assert.False(calls.Deliver("session-a", "mcpgrains-guess", "{}"));
        Assert.True(calls.Deliver("session-a", id, """{"result":{}}"""));
        Assert.True(answer.IsCompletedSuccessfully);
    }

    private sealed class NoEndpoint : IDownstreamEndpoint
    {
        public Task OnCallMessageAsync(long callId, string messageJson) => Task.CompletedTask;

        public Task DeliverCallMessageAsync(long callId, string messageJson) => Task.CompletedTask;

        public Task OnSessionEndedAsync(string sessionHash) => Task.CompletedTask;
    }
}
