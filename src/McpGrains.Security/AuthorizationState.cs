namespace McpGrains.Security;

/// <summary>
/// What the OAuth <c>state</c> parameter carries: the session key that routes the callback to its grain, the id of the
/// pending flow, and when it lapses. <see cref="FlowId"/> is a secret; <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record AuthorizationState(string SessionKey, string FlowId, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AuthorizationState {{ SessionKey = {SessionKey}, ExpiresAt = {ExpiresAt:O} }}";
}
