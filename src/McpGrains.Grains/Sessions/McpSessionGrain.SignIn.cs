using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

// Sign-in links: a pending authorization begins with a link to McpGrains' confirmation page, not to the provider. The
// provider's URL leaves the grain only when a browser presses Continue there, and the callback must come back from that
// browser (OAuthSessionStateMachine checks the binding).
public sealed partial class McpSessionGrain
{
    /// <summary>The label the host app last gave this user (not persisted: it is only needed when a flow begins).</summary>
    private string? _userLabel;

    /// <summary>The identity the host app last named for this user (binding mode oidc; like the label, needed when a flow begins).</summary>
    private string? _identity;

    private HostAppOptions HostAppOptions => Options.HostApps.GetValueOrDefault(_key.TenantId) ?? new HostAppOptions();

    private void RememberSubject(string? userLabel, string? identity)
    {
        if (userLabel is not null)
        {
            _userLabel = userLabel;
        }

        if (identity is not null)
        {
            _identity = identity;
        }
    }

    /// <summary>The pending flow to show the user again, unless it was begun for another identity than the host app names now.</summary>
    private PendingAuthorization? ReusablePending() =>
        _machine.GetReusablePending(_time.GetUtcNow(), MinimumPendingLifetime) is { } pending
        && (pending.Binding != SignInBindingModes.Oidc || string.Equals(pending.ExpectedIdentity, _identity, StringComparison.OrdinalIgnoreCase))
            ? pending
            : null;

    public Task<SignInDescription> DescribeSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(_ =>
        {
            var outcome = _machine.LocateSignIn(request, _time.GetUtcNow(), out var pending);
            return Task.FromResult(outcome switch
            {
                SignInOutcome.Ready => new SignInDescription(outcome, pending!.UserLabel, ProviderHost(pending.AuthorizationEndpoint), pending.ExpiresAt, pending.ExpectedIdentity),
                // The person the link was made for, so that the refusal can say whose sign-in this is.
                SignInOutcome.IdentityMismatch => new SignInDescription(outcome, _state.State.Pending?.UserLabel, null, null, _state.State.Pending?.ExpectedIdentity),
                _ => SignInDescription.Refused(outcome),
            });
        }, cancellationToken);
    }

    public Task<SignInContinuation> ContinueSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(async ct =>
        {
            var outcome = _machine.ClaimSignIn(request, _time.GetUtcNow(), out var pending, out var stateChanged);
            if (outcome != SignInOutcome.Ready)
            {
                LogSignInRefused(_logger, _key, outcome);
                return SignInContinuation.Refused(outcome);
            }

            if (stateChanged)
            {
                // Written before the URL leaves the grain: the callback may arrive on any node, after any failure.
                await _state.WriteStateAsync(ct);
                LogSignInClaimed(_logger, _key);
            }

            return new SignInContinuation(outcome, Reveal(pending!.ProtectedAuthorizationUrl, SecretContexts.AuthorizationUrl(_key)));
        }, cancellationToken);
    }

    public Task<SignInOutcome> CancelSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(async ct =>
        {
            var outcome = _machine.CancelSignIn(request, _time.GetUtcNow());
            if (outcome != SignInOutcome.Ready)
            {
                LogSignInRefused(_logger, _key, outcome);
                return outcome;
            }

            await _state.WriteStateAsync(ct);
            LogSignInCancelled(_logger, _key);
            return outcome;
        }, cancellationToken);
    }

    private async Task<PendingAuthorization?> BeginAuthorizationCoreAsync(ServerAuthorization authorization, string? returnUrl, CancellationToken cancellationToken, IReadOnlyList<string>? scopes = null)
    {
        var result = await BeginAuthorizationAsync(authorization, returnUrl, cancellationToken, scopes);
        return result.Outcome == AuthorizeOutcome.AuthorizationRequired ? _state.State.Pending : null;
    }

    /// <param name="scopesOverride">For a step-up: the union of granted and challenged scopes.</param>
    private async Task<AuthorizeResult> BeginAuthorizationAsync(ServerAuthorization authorization, string? returnUrl, CancellationToken cancellationToken, IReadOnlyList<string>? scopesOverride = null)
    {
        await EnsureDataKeyAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var pkce = Pkce.Create();
        // 128 bits: the flow id travels in both the state and the sign-in ticket, so it sets their length.
        var flowId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var elicitationId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        var expiresAt = now + Options.Authorization.PendingLifetime;
        var scopes = (scopesOverride ?? authorization.Scopes).ToList();
        var pending = new PendingAuthorization
        {
            FlowIdHash = OAuthSessionStateMachine.HashFlowId(flowId),
            ProtectedCodeVerifier = Secrets.Protect(pkce.CodeVerifier, SecretContexts.CodeVerifier(_key)),
            ExpectedIssuer = authorization.Issuer,
            IssParameterSupported = authorization.IssParameterSupported,
            RedirectUri = Options.RedirectUri,
            Resource = authorization.Resource,
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            ReturnUrl = returnUrl,
            ClientId = authorization.ClientId,
            ElicitationId = elicitationId,
            UserLabel = _userLabel,
            AuthorizationEndpoint = new Uri(authorization.AuthorizationEndpoint).GetLeftPart(UriPartial.Path),
            Binding = HostAppOptions.Binding,
            ExpectedIdentity = HostAppOptions.Binding == SignInBindingModes.Oidc ? _identity : null,
        };
        var flow = new AuthorizationState(_key.Format(), flowId, expiresAt);
        var url = AuthorizationUrlBuilder.Build(new AuthorizationUrlParameters(
            authorization.AuthorizationEndpoint,
            authorization.ClientId,
            Options.RedirectUri,
            scopes,
            _stateCodec.Protect(flow),
            pkce.CodeChallenge,
            authorization.SendResource ? authorization.Resource : null,
            Options.Security.AllowInsecureLoopback));
        var link = Options.SignInLink(_ticketCodec.Protect(flow));
        pending.ProtectedAuthorizationUrl = Secrets.Protect(url, SecretContexts.AuthorizationUrl(_key));
        pending.ProtectedSignInLink = Secrets.Protect(link, SecretContexts.SignInLink(_key));

        // Persisted before the link leaves the grain: the confirmation page and the callback may be served by any node.
        _machine.BeginAuthorization(pending, now);
        await _state.WriteStateAsync(cancellationToken);
        LogAuthorizationStarted(_logger, _key, authorization.Issuer, expiresAt);
        RecordAuthorizationStarted();
        return AuthorizeResult.Required(link);
    }

    /// <summary>The host (and port, when not the default) the confirmation page names as where the browser will sign in.</summary>
    private static string? ProviderHost(string authorizationEndpoint) =>
        Uri.TryCreate(authorizationEndpoint, UriKind.Absolute, out var uri)
            ? uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture)
            : null;
}
