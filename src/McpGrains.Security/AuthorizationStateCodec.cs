namespace McpGrains.Security;

/// <summary>
/// The opaque OAuth <c>state</c> value sent to the authorization server. Replay is stopped by the owning grain, which
/// accepts a flow id once; a callback also needs the browser that pressed Continue (see <see cref="SignInTicketCodec"/>).
/// </summary>
public sealed class AuthorizationStateCodec : SealedFlowCodec
{
    public AuthorizationStateCodec(KeyRing keyRing)
        : base(keyRing, "mcpgrains/authorization-state/v1")
    {
    }
}
