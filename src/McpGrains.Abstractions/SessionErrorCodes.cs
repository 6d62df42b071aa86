namespace McpGrains;

/// <summary>Stable error codes carried by <see cref="SessionError"/>.</summary>
public static class SessionErrorCodes
{
    public const string DiscoveryFailed = "discovery_failed";
    public const string RegistrationUnavailable = "registration_unavailable";
    public const string RegistrationFailed = "registration_failed";
    public const string PkceNotSupported = "pkce_not_supported";
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string InvalidState = "invalid_state";
    public const string NoPendingAuthorization = "no_pending_authorization";
    public const string AuthorizationExpired = "authorization_expired";
    public const string IssuerMismatch = "issuer_mismatch";
    public const string AccessDenied = "access_denied";
    public const string AuthorizationServerError = "authorization_server_error";
    public const string TokenExchangeFailed = "token_exchange_failed";
    public const string RefreshFailed = "refresh_failed";
    public const string InvalidGrant = "invalid_grant";
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>The upstream connection was refused by McpGrains: a destination on another origin or a forbidden address.</summary>
    public const string UpstreamRefused = "upstream_refused";

    /// <summary>The upstream's answer to a request exceeded <c>McpGrains:Upstream:MaxResponseBytes</c>; it was not read further.</summary>
    public const string UpstreamResponseTooLarge = "upstream_response_too_large";

    /// <summary>The server named another authorization server than the one pinned for it; its credentials are not sent there.</summary>
    public const string IssuerChanged = "issuer_changed";

    public const string BrowserMismatch = "browser_mismatch";
    public const string SignInCancelled = "sign_in_cancelled";

    /// <summary>Binding mode oidc: the organization's sign-in showed another identity than the host app named.</summary>
    public const string IdentityMismatch = "identity_mismatch";

    /// <summary>Binding mode host-verification: the host app confirmed the flow for another user; its tokens were discarded and revoked.</summary>
    public const string VerificationUserMismatch = "verification_user_mismatch";

    /// <summary>Binding mode host-verification: nobody confirmed the flow in time; its tokens were discarded and revoked.</summary>
    public const string VerificationExpired = "verification_expired";

    /// <summary>Enterprise-managed authorization: the host app sent no identity assertion for the user, and no browser sign-in is offered.</summary>
    public const string IdentityAssertionRequired = "identity_assertion_required";
}
