using System.Security.Cryptography;
using McpGrains.Configuration;

namespace McpGrains.Grains.Sessions;

// The sign-in link's confirmation page: which browser may continue a pending flow, and cancelling it.
public sealed partial class OAuthSessionStateMachine
{
    private const string BrowserMismatchMessage =
        "This sign-in was started in another browser. Finish it in the browser where you pressed Continue on the confirmation page, or start again from the application.";

    /// <summary>Where the flow a sign-in link names stands for the browser holding <see cref="SignInRequest.BrowserBinding"/>.</summary>
    public SignInOutcome LocateSignIn(SignInRequest request, DateTimeOffset now, out PendingAuthorization? pending)
    {
        ArgumentNullException.ThrowIfNull(request);
        pending = null;
        var current = State.Pending;
        if (request.SessionKey != _key || current is null)
        {
            return SignInOutcome.NotPending;
        }

        if (!CryptographicOperations.FixedTimeEquals(HashFlowId(request.FlowId), current.FlowIdHash))
        {
            return SignInOutcome.Superseded;
        }

        if (now >= current.ExpiresAt)
        {
            return SignInOutcome.Expired;
        }

        if (current.Binding == SignInBindingModes.Oidc && !IsExpectedIdentity(current, request.VerifiedIdentity))
        {
            // Before anything else that acts on the flow: only the person the host app named may see, continue or cancel it.
            return SignInOutcome.IdentityMismatch;
        }

        if (current.BrowserBindingHash.Length > 0 && !IsBoundTo(current, request.BrowserBinding))
        {
            return SignInOutcome.ClaimedByAnotherBrowser;
        }

        pending = current;
        return SignInOutcome.Ready;
    }

    /// <summary>
    /// Continue: the first browser to continue binds the flow to itself (the hash of its secret is recorded;
    /// <paramref name="stateChanged"/> says the caller must write it); the same browser may continue again.
    /// </summary>
    public SignInOutcome ClaimSignIn(SignInRequest request, DateTimeOffset now, out PendingAuthorization? pending, out bool stateChanged)
    {
        stateChanged = false;
        var outcome = LocateSignIn(request, now, out pending);
        if (outcome != SignInOutcome.Ready)
        {
            return outcome;
        }

        if (string.IsNullOrEmpty(request.BrowserBinding))
        {
            throw new ArgumentException("Continue needs the browser's binding secret.", nameof(request));
        }

        if (pending!.BrowserBindingHash.Length == 0)
        {
            pending.BrowserBindingHash = HashSecret(request.BrowserBinding);
            State.UpdatedAt = now;
            stateChanged = true;
        }

        return SignInOutcome.Ready;
    }

    /// <summary>Cancel: ends the flow (its link and state stop working) unless another browser has claimed it.</summary>
    public SignInOutcome CancelSignIn(SignInRequest request, DateTimeOffset now)
    {
        var outcome = LocateSignIn(request, now, out _);
        if (outcome == SignInOutcome.Ready)
        {
            ConsumePending(now);
            State.LastError = new SessionError(SessionErrorCodes.SignInCancelled, "The sign-in was cancelled on its confirmation page.");
        }

        return outcome;
    }

    /// <summary>
    /// Whether the organization's sign-in showed the identity the host app named. Case-insensitive: the identity is an
    /// e-mail address or user name, which providers and host apps spell in either case. No named identity matches nothing.
    /// </summary>
    private static bool IsExpectedIdentity(PendingAuthorization pending, string? verifiedIdentity) =>
        !string.IsNullOrEmpty(pending.ExpectedIdentity)
        && !string.IsNullOrEmpty(verifiedIdentity)
        && string.Equals(pending.ExpectedIdentity, verifiedIdentity.Trim(), StringComparison.OrdinalIgnoreCase);

    private static bool IsBoundTo(PendingAuthorization pending, string? browserBinding) =>
        pending.BrowserBindingHash.Length > 0
        && !string.IsNullOrEmpty(browserBinding)
        && CryptographicOperations.FixedTimeEquals(HashSecret(browserBinding), pending.BrowserBindingHash);
}
