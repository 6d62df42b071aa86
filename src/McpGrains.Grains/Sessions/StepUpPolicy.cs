using McpGrains.OAuth;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// 403 insufficient_scope: authorize again with the union of the granted and the challenged scopes. Bounded: the same
/// scope set is asked for at most <see cref="MaxPerScopeSet"/> times by an activation, then the call fails. Calls in
/// flight together that met the same refusal share one sign-in link.
/// </summary>
internal sealed class StepUpPolicy
{
    public const int MaxPerScopeSet = 2;

    /// <summary>Step-ups per requested scope set, for this activation.</summary>
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    /// <param name="granted">The scopes the current tokens carry (or the server's, without tokens).</param>
    /// <param name="challengedScope">The <c>scope</c> the 403 challenge named.</param>
    /// <param name="current">The pending sign-in that may still be shown, if any.</param>
    public StepUpDecision Decide(IReadOnlyList<string> granted, string? challengedScope, PendingAuthorization? current)
    {
        var scopes = ScopeSelector.Union(granted, challengedScope).ToList();
        var scopeSet = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        if (current is not null && scopes.All(current.Scopes.Contains))
        {
            // Calls in flight together met the same refusal: one sign-in link serves them all, and counts once.
            return new StepUpDecision(StepUpOutcome.ReusePending, scopes, scopeSet, 0);
        }

        var attempts = _attempts.GetValueOrDefault(scopeSet);
        if (attempts >= MaxPerScopeSet)
        {
            return new StepUpDecision(StepUpOutcome.GiveUp, scopes, scopeSet, attempts);
        }

        _attempts[scopeSet] = attempts + 1;
        return new StepUpDecision(StepUpOutcome.Authorize, scopes, scopeSet, attempts + 1);
    }

    /// <summary>Account deletion: nothing of the user is kept.</summary>
    public void Clear() => _attempts.Clear();
}
