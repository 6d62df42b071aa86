using System.Globalization;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The sign-in link's confirmation page: what it shows, Continue (the provider's URL leaves the grain only then, and the
/// callback must come back from that browser: the machine checks the binding) and Cancel.
/// </summary>
internal sealed class SignInPage(SessionContext context, SessionRecord record, SessionVault vault)
{
    public SignInDescription Describe(SignInRequest request)
    {
        var outcome = record.Machine.LocateSignIn(request, context.Time.GetUtcNow(), out var pending);
        return outcome switch
        {
            SignInOutcome.Ready => new SignInDescription(outcome, pending!.UserLabel, ProviderHost(pending.AuthorizationEndpoint), pending.ExpiresAt, pending.ExpectedIdentity),
            // The person the link was made for, so that the refusal can say whose sign-in this is.
            SignInOutcome.IdentityMismatch => new SignInDescription(outcome, record.State.Pending?.UserLabel, null, null, record.State.Pending?.ExpectedIdentity),
            _ => SignInDescription.Refused(outcome),
        };
    }

    public async Task<SignInContinuation> ContinueAsync(SignInRequest request, CancellationToken cancellationToken)
    {
        var outcome = record.Machine.ClaimSignIn(request, context.Time.GetUtcNow(), out var pending, out var stateChanged);
        if (outcome != SignInOutcome.Ready)
        {
            SessionLog.SignInRefused(context.Logger, context.Key, outcome);
            return SignInContinuation.Refused(outcome);
        }

        if (stateChanged)
        {
            // Written before the URL leaves the grain: the callback may arrive on any node, after any failure.
            await record.WriteAsync(cancellationToken);
            SessionLog.SignInClaimed(context.Logger, context.Key);
        }

        return new SignInContinuation(outcome, vault.Reveal(pending!.ProtectedAuthorizationUrl, SecretContexts.AuthorizationUrl(context.Key)));
    }

    public async Task<SignInOutcome> CancelAsync(SignInRequest request, CancellationToken cancellationToken)
    {
        var outcome = record.Machine.CancelSignIn(request, context.Time.GetUtcNow());
        if (outcome != SignInOutcome.Ready)
        {
            SessionLog.SignInRefused(context.Logger, context.Key, outcome);
            return outcome;
        }

        await record.WriteAsync(cancellationToken);
        SessionLog.SignInCancelled(context.Logger, context.Key);
        return outcome;
    }

    /// <summary>The host (and port, when not the default) the confirmation page names as where the browser will sign in.</summary>
    private static string? ProviderHost(string authorizationEndpoint) =>
        Uri.TryCreate(authorizationEndpoint, UriKind.Absolute, out var uri)
            ? uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture)
            : null;
}
