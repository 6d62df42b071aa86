namespace McpGrains;

/// <summary>
/// A host app's confirmation of a flow awaiting verification: the flow id from the sealed verification flow (a
/// secret, left out of <see cref="ToString"/>) and the user the host app has signed in.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizationConfirmation")]
public sealed record AuthorizationConfirmation(
    [property: Id(0)] McpSessionKey SessionKey,
    [property: Id(1)] string FlowId,
    [property: Id(2)] string UserId)
{
    public override string ToString() => $"AuthorizationConfirmation {{ SessionKey = {SessionKey} }}";
}
