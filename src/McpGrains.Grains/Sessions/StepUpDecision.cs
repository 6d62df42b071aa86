namespace McpGrains.Grains.Sessions;

/// <summary>A step-up decision of <see cref="StepUpPolicy"/>.</summary>
/// <param name="ScopeSet">The scopes, sorted and space-separated: what attempts are counted by.</param>
/// <param name="Attempts">Step-ups for the scope set, this one included when authorizing.</param>
internal readonly record struct StepUpDecision(StepUpOutcome Outcome, List<string> Scopes, string ScopeSet, int Attempts);
