using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests.Parts;

public sealed class StepUpPolicyTests
{
    [Fact]
    public void Decide_AsksForTheUnionOfGrantedAndChallengedScopes()
    {
        var decision = new StepUpPolicy().Decide(["mcp:read"], "mcp:write mcp:read", current: null);

        Assert.Equal(StepUpOutcome.Authorize, decision.Outcome);
        Assert.Equal(["mcp:read", "mcp:write"], decision.Scopes.Order(StringComparer.Ordinal));
        Assert.Equal("mcp:read mcp:write", decision.ScopeSet);
        Assert.Equal(1, decision.Attempts);
    }

    [Fact]
    public void Decide_APendingSignInWithEveryScopeServesTheCallAndIsNotCounted()
    {
        var policy = new StepUpPolicy();
        var pending = new PendingAuthorization { Scopes = ["mcp:read", "mcp:write", "offline_access"] };

        for (var i = 0; i < StepUpPolicy.MaxPerScopeSet + 1; i++)
        {
            Assert.Equal(StepUpOutcome.ReusePending, policy.Decide(["mcp:read"], "mcp:write", pending).Outcome);
        }

        Assert.Equal(StepUpOutcome.Authorize, policy.Decide(["mcp:read"], "mcp:write", current: null).Outcome);
    }

    [Fact]
    public void Decide_APendingSignInMissingAScopeIsReplaced() =>
        Assert.Equal(StepUpOutcome.Authorize, new StepUpPolicy().Decide(["mcp:read"], "mcp:admin", new PendingAuthorization { Scopes = ["mcp:read"] }).Outcome);

    [Fact]
    public void Decide_GivesUpOnAScopeSetAfterTheLimit_OtherSetsAreCountedApart()
    {
        var policy = new StepUpPolicy();
        for (var i = 1; i <= StepUpPolicy.MaxPerScopeSet; i++)
        {
            Assert.Equal(StepUpOutcome.Authorize, policy.Decide(["a"], "b", null).Outcome);
        }

        var refused = policy.Decide(["a"], "b", null);

        Assert.Equal(StepUpOutcome.GiveUp, refused.Outcome);
        Assert.Equal(StepUpPolicy.MaxPerScopeSet, refused.Attempts);
        Assert.Equal(StepUpOutcome.Authorize, policy.Decide(["a"], "c", null).Outcome);
    }

    [Fact]
    public void Clear_ForgetsTheCounts()
    {
        var policy = new StepUpPolicy();
        for (var i = 0; i < StepUpPolicy.MaxPerScopeSet; i++)
        {
            policy.Decide(["a"], "b", null);
        }

        policy.Clear();

        Assert.Equal(StepUpOutcome.Authorize, policy.Decide(["a"], "b", null).Outcome);
    }
}
