namespace McpGrains.Gateway.Logging;

/// <summary>Stable event ids of the gateway's log messages (from 3000; 3100-3199: the MCP endpoint of issue 12).</summary>
public static class GatewayLogEvents
{
    public const int AuthorizeFailed = 3001;
    public const int CallbackStateInvalid = 3010;
    public const int CallbackStateExpired = 3011;
    public const int CallbackCompleted = 3012;
    public const int CallbackReturnUrlRejected = 3013;
    public const int DownstreamSessionStarted = 3020;
    public const int DownstreamSessionEnded = 3021;
    public const int ObserverSubscribeFailed = 3022;
    public const int DownstreamNotificationFailed = 3023;
    public const int ServerRequestRelayFailed = 3024;
    public const int UpstreamCallFailed = 3025;
    public const int AuthorizationPrompted = 3026;
    public const int AuthorizationCompletedRelayed = 3027;
    public const int SignInLinkInvalid = 3040;
    public const int SignInLinkExpired = 3041;
    public const int SignInRefused = 3042;
    public const int SignInFormRejected = 3043;
    public const int SignInPageShown = 3044;
    public const int SignInContinued = 3045;
    public const int SignInCancelled = 3046;
    public const int HostAppCallLimitReached = 3070;
    public const int UserCallLimitReached = 3071;
    public const int UserAuthorizationLimitReached = 3072;
    public const int HostKeyAttemptsThrottled = 3073;
    public const int RequestBodyTooLarge = 3074;
    public const int DownstreamSessionLimitReached = 3075;

    public const int ToolNameUnusable = 3100;

    public const int PortalLinkInvalid = 3200;
    public const int PortalRefused = 3201;
    public const int PortalFormRejected = 3202;
    public const int PortalDisconnected = 3203;
    public const int ConfirmationFlowInvalid = 3230;
    public const int ConfirmationForeignFlow = 3231;
    public const int ConfirmationAnswered = 3232;
    public const int CallbackAwaitsVerification = 3233;
    public const int SignInIdentityChallenged = 3240;
    public const int SignInIdentityMismatch = 3241;
    public const int SignInIdentityFailed = 3242;
    public const int UserForgotten = 3290;
}
