namespace McpGrains.Gateway.Logging;

/// <summary>Stable event ids of the gateway's log messages (range 3000-3099).</summary>
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

    public const int ToolNameUnusable = 3100;
}
