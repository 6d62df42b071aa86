namespace McpGrains.Security;

/// <summary>
/// The ticket of an McpGrains sign-in link, <c>{PublicBaseUrl}/oauth/start/{ticket}</c>: the same three things as the
/// OAuth state (session key, flow id, expiry), sealed under its own derived key, so a ticket is never a valid state
/// and the provider's authorization URL never has to leave McpGrains before the user confirms. A secret: never logged.
/// </summary>
public sealed class SignInTicketCodec : SealedFlowCodec
{
    public SignInTicketCodec(KeyRing keyRing)
        : base(keyRing, "mcpgrains/sign-in-ticket/v1")
    {
    }
}
