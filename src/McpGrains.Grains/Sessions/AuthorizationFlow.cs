using System.Buffers.Text;
using System.Security.Cryptography;
using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The browser sign-in around <see cref="OAuthSessionStateMachine"/>: a pending authorization begins with a link to
/// McpGrains' confirmation page, not to the provider, and is persisted before the link leaves; the callback's code is
/// exchanged (PKCE, RFC 9207 checked by the machine) and its tokens stored, or, in binding mode host-verification, held
/// for the host app's confirmation.
/// </summary>
internal sealed class AuthorizationFlow(
    SessionContext context,
    SessionRecord record,
    SessionVault vault,
    SessionTokenEndpoint endpoint,
    ServerAuthorizationSource server,
    HostVerification verification,
    ProactiveRefreshSchedule schedule,
    AuthorizationStateCodec stateCodec,
    SignInTicketCodec ticketCodec,
    Func<string, Task> authorizationCompleted)
{
    /// <summary>A pending authorization with less life than this left is replaced rather than shown again.</summary>
    public static readonly TimeSpan MinimumPendingLifetime = TimeSpan.FromMinutes(2);

    /// <summary>The label the host app last gave this user (not persisted: it is only needed when a flow begins).</summary>
    private string? _userLabel;

    /// <summary>The identity the host app last named for this user (binding mode oidc; like the label, needed when a flow begins).</summary>
    private string? _identity;

    public void RememberSubject(string? userLabel, string? identity)
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

    /// <summary>Account deletion: the label the host app gave is not kept.</summary>
    public void ForgetUserLabel() => _userLabel = null;

    /// <summary>The pending flow to show the user again, unless it was begun for another identity than the host app names now.</summary>
    public PendingAuthorization? ReusablePending() =>
        record.Machine.GetReusablePending(context.Time.GetUtcNow(), MinimumPendingLifetime) is { } pending
        && (pending.Binding != SignInBindingModes.Oidc || string.Equals(pending.ExpectedIdentity, _identity, StringComparison.OrdinalIgnoreCase))
            ? pending
            : null;

    public PendingAuthorizationInfo DescribePending(PendingAuthorization pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return new(vault.Reveal(pending.ProtectedSignInLink, SecretContexts.SignInLink(context.Key)), pending.ElicitationId, pending.ExpiresAt, record.Machine.Status);
    }

    /// <summary>Begins a flow and answers with the pending authorization (null when none could begin).</summary>
    public async Task<PendingAuthorization?> BeginPendingAsync(ServerAuthorization authorization, string? returnUrl, CancellationToken cancellationToken, IReadOnlyList<string>? scopes = null)
    {
        var result = await BeginAsync(authorization, returnUrl, cancellationToken, scopes);
        return result.Outcome == AuthorizeOutcome.AuthorizationRequired ? record.State.Pending : null;
    }

    /// <param name="scopesOverride">For a step-up: the union of granted and challenged scopes.</param>
    public async Task<AuthorizeResult> BeginAsync(ServerAuthorization authorization, string? returnUrl, CancellationToken cancellationToken, IReadOnlyList<string>? scopesOverride = null)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        await vault.EnsureKeyAsync(cancellationToken);
        var (key, options, hostApp) = (context.Key, context.Options, context.HostApp);
        var now = context.Time.GetUtcNow();
        var pkce = Pkce.Create();
        // 128 bits: the flow id travels in both the state and the sign-in ticket, so it sets their length.
        var flowId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var elicitationId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        var expiresAt = now + options.Authorization.PendingLifetime;
        var scopes = (scopesOverride ?? authorization.Scopes).ToList();
        var pending = new PendingAuthorization
        {
            FlowIdHash = OAuthSessionStateMachine.HashFlowId(flowId),
            ProtectedCodeVerifier = vault.Protect(pkce.CodeVerifier, SecretContexts.CodeVerifier(key)),
            ExpectedIssuer = authorization.Issuer,
            IssParameterSupported = authorization.IssParameterSupported,
            RedirectUri = options.RedirectUri,
            Resource = authorization.Resource,
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            ReturnUrl = returnUrl,
            ClientId = authorization.ClientId,
            ElicitationId = elicitationId,
            UserLabel = _userLabel,
            AuthorizationEndpoint = new Uri(authorization.AuthorizationEndpoint).GetLeftPart(UriPartial.Path),
            Binding = hostApp.Binding,
            ExpectedIdentity = hostApp.Binding == SignInBindingModes.Oidc ? _identity : null,
        };
        var flow = new AuthorizationState(key.Format(), flowId, expiresAt);
        var url = AuthorizationUrlBuilder.Build(new AuthorizationUrlParameters(
            authorization.AuthorizationEndpoint,
            authorization.ClientId,
            options.RedirectUri,
            scopes,
            stateCodec.Protect(flow),
            pkce.CodeChallenge,
            authorization.SendResource ? authorization.Resource : null,
            options.Security.AllowInsecureLoopback));
        var link = options.SignInLink(ticketCodec.Protect(flow));
        pending.ProtectedAuthorizationUrl = vault.Protect(url, SecretContexts.AuthorizationUrl(key));
        pending.ProtectedSignInLink = vault.Protect(link, SecretContexts.SignInLink(key));

        // Persisted before the link leaves the grain: the confirmation page and the callback may be served by any node.
        record.Machine.BeginAuthorization(pending, now);
        await record.WriteAsync(cancellationToken);
        SessionLog.AuthorizationStarted(context.Logger, key, authorization.Issuer, expiresAt);
        context.Metrics.AuthorizationStarted();
        return AuthorizeResult.Required(link);
    }

    /// <summary>The authorization response: checked, the pending flow consumed, the code exchanged.</summary>
    public async Task<CallbackResult> CompleteAsync(AuthorizationCallback callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var (key, time, logger, metrics) = (context.Key, context.Time, context.Logger, context.Metrics);
        var machine = record.Machine;
        var now = time.GetUtcNow();
        var returnUrl = record.State.Pending?.ReturnUrl;
        var decision = machine.ValidateCallback(callback, now);
        if (decision.StateChanged)
        {
            // Consumed before the exchange: a replayed callback finds nothing to complete.
            await record.WriteAsync(cancellationToken);
        }

        if (!decision.ShouldExchange)
        {
            SessionLog.CallbackRejected(logger, key, decision.Error!.Code);
            metrics.AuthorizationFailed(decision.Error.Code);
            return new CallbackResult(false, key.ServerId, decision.Pending?.ReturnUrl ?? (decision.StateChanged ? returnUrl : null), decision.Error);
        }

        var pending = decision.Pending!;
        var answer = await server.GetAsync(cancellationToken);
        if (answer.Outcome != ServerAuthorizationOutcome.Ready || answer.Authorization!.Issuer != pending.ExpectedIssuer || answer.Authorization.ClientId != pending.ClientId)
        {
            var error = answer.Error ?? new SessionError(SessionErrorCodes.TokenExchangeFailed, "The server's authorization settings changed during sign-in. Start again.");
            await ApplyExchangeFailureAsync(pending, error, now, cancellationToken);
            metrics.AuthorizationFailed(error.Code);
            return new CallbackResult(false, key.ServerId, pending.ReturnUrl, error);
        }

        var authorization = answer.Authorization;
        var verifier = vault.Reveal(pending.ProtectedCodeVerifier, SecretContexts.CodeVerifier(key));
        var started = time.GetTimestamp();
        var result = await endpoint.Client.ExchangeCodeAsync(endpoint.CreateContext(authorization), callback.Code!, verifier, pending.RedirectUri, cancellationToken);
        now = time.GetUtcNow();
        if (!result.IsSuccess || endpoint.CheckDpopBinding(result) is not null)
        {
            var error = endpoint.CheckDpopBinding(result) ?? new SessionError(SessionErrorCodes.TokenExchangeFailed, $"The authorization server refused the code exchange ({result.Error}).");
            await ApplyExchangeFailureAsync(pending, error, now, cancellationToken);
            SessionLog.ExchangeFailed(logger, key, result.Error ?? "unknown", result.HttpStatusCode is { } s ? (int)s : 0);
            metrics.AuthorizationFailed(error.Code);
            return new CallbackResult(false, key.ServerId, pending.ReturnUrl, error);
        }

        var tokens = endpoint.CreateTokenSet(result, authorization, pending.Scopes, previousRefreshToken: null, now);
        if (pending.Binding == SignInBindingModes.HostVerification)
        {
            return await verification.AwaitConfirmationAsync(tokens, pending, cancellationToken);
        }

        machine.ApplyTokens(tokens, now);
        await record.WriteAsync(cancellationToken);
        SessionLog.Connected(logger, key, authorization.Issuer, time.GetElapsedTime(started).TotalMilliseconds);
        metrics.AuthorizationCompleted();
        await schedule.SyncAsync();
        await authorizationCompleted(pending.ElicitationId);
        return new CallbackResult(true, key.ServerId, pending.ReturnUrl, null);
    }

    private async Task ApplyExchangeFailureAsync(PendingAuthorization pending, SessionError error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        record.Machine.ApplyExchangeFailure(pending, error, now);
        await record.WriteAsync(cancellationToken);
    }
}
