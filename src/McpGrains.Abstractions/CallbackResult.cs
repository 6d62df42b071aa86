namespace McpGrains;

/// <summary>
/// The outcome of a callback: connected, or why not. <see cref="ReturnUrl"/> was allow-listed at authorize time. In
/// binding mode <c>host-verification</c> a successful exchange is not connected yet: <see cref="VerificationFlowId"/>
/// (sealed, a secret) is what the browser takes to the host app's verification URL.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.CallbackResult")]
public sealed record CallbackResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string ServerId,
    [property: Id(2)] string? ReturnUrl,
    [property: Id(3)] SessionError? Error,
    [property: Id(4)] string? VerificationFlowId = null)
{
    public override string ToString() => $"CallbackResult {{ Succeeded = {Succeeded}, ServerId = {ServerId}, Error = {Error?.Code}, AwaitsVerification = {VerificationFlowId is not null} }}";
}
