namespace McpGrains.Grains.Sessions;

/// <summary>What a 403 insufficient_scope leads to.</summary>
internal enum StepUpOutcome
{
    /// <summary>The pending sign-in already asks for every scope needed.</summary>
    ReusePending,

    /// <summary>Begin a sign-in for <see cref="StepUpDecision.Scopes"/>.</summary>
    Authorize,

    /// <summary>This scope set was asked for too often already.</summary>
    GiveUp,
}
