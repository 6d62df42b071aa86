using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Logging;

/// <summary>
/// Log messages of the strong binding modes (oidc, host-verification). Host app names, session keys, outcomes; never
/// flow ids, tickets, claims' values (identities are personal data) or the OpenID Connect handler's state.
/// </summary>
internal static partial class StrongBindingLog
{
    [LoggerMessage(EventId = GatewayLogEvents.ConfirmationFlowInvalid, Level = LogLevel.Warning,
        Message = "Confirmation by host app {HostApp} rejected: the flow id is malformed, forged or sealed under an unknown key")]
    public static partial void ConfirmationFlowInvalid(this ILogger logger, string hostApp);

    [LoggerMessage(EventId = GatewayLogEvents.ConfirmationForeignFlow, Level = LogLevel.Warning,
        Message = "Confirmation by host app {HostApp} rejected: the flow belongs to host app {FlowHostApp}; nothing was changed")]
    public static partial void ConfirmationForeignFlow(this ILogger logger, string hostApp, string flowHostApp);

    [LoggerMessage(EventId = GatewayLogEvents.ConfirmationAnswered, Level = LogLevel.Information,
        Message = "Confirmation of session {SessionKey}: {Outcome}")]
    public static partial void ConfirmationAnswered(this ILogger logger, string sessionKey, ConfirmationOutcome outcome);

    [LoggerMessage(EventId = GatewayLogEvents.CallbackAwaitsVerification, Level = LogLevel.Information,
        Message = "OAuth callback for session {SessionKey}: signed in; the browser goes to the host app's verification URL")]
    public static partial void CallbackAwaitsVerification(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInIdentityChallenged, Level = LogLevel.Information,
        Message = "Sign-in link for session {SessionKey}: the browser is sent to the organization's sign-in first")]
    public static partial void SignInIdentityChallenged(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInIdentityMismatch, Level = LogLevel.Warning,
        Message = "Sign-in link for session {SessionKey} refused: the organization's sign-in shows another identity than the host app named")]
    public static partial void SignInIdentityMismatch(this ILogger logger, string sessionKey);

    [LoggerMessage(EventId = GatewayLogEvents.SignInIdentityFailed, Level = LogLevel.Warning,
        Message = "The organization's sign-in for host app {HostApp} failed: {Reason}")]
    public static partial void SignInIdentityFailed(this ILogger logger, string hostApp, string reason);
}
