namespace McpGrains.Grains.Sessions;

/// <summary>What to do with an authorization response: exchange the code of <see cref="Pending"/>, or report <see cref="Error"/>.</summary>
public sealed record CallbackDecision(PendingAuthorization? Pending, SessionError? Error, bool StateChanged)
{
    public bool ShouldExchange => Pending is not null && Error is null;

    public static CallbackDecision Exchange(PendingAuthorization pending) => new(pending, null, StateChanged: true);

    public static CallbackDecision Reject(SessionError error, bool stateChanged, PendingAuthorization? consumed = null) => new(consumed, error, stateChanged);
}
