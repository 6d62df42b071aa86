namespace McpGrains.Security;

/// <summary>
/// The flow id of binding mode host-verification, which the callback hands the host app's verification URL and the
/// host app passes back to <c>POST /api/v1/authorizations/{flowId}/confirm</c>: session key, confirmation id and
/// expiry sealed under a key derived for this purpose only, so any node routes the confirmation to its session grain
/// without a shared table, and a flow id is never a state or a sign-in ticket (nor the reverse). A secret: never logged.
/// </summary>
public sealed class VerificationFlowCodec : SealedFlowCodec
{
    public VerificationFlowCodec(KeyRing keyRing)
        : base(keyRing, "mcpgrains/verification-flow/v1")
    {
    }
}
